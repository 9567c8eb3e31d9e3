"""The network modules (http_client, schema_cache, remote_validate) against a real HTTP server
(tests/fake_api.py): /schema with its cache, /validate, failures, deadlines."""

from __future__ import annotations

import email.utils
import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from nexlayer_lint import __version__, config, engine, http_client, loader, remote_validate, schema, schema_cache
from nexlayer_lint.model import Span
from tests import fake_api as fa

DOC = """\
application:
  name: shop
  registryLogin:
    registry: ghcr.io
    username: acme
    personalAccessToken: ghp_s3cretTokenValue123
  pods:
    - name: web
      image: ghcr.io/acme/web:1.0
      path: /
      servicePorts: [3000]
      vars:
        DB_PASSWORD: hunter2-literal
        MODE: prod
"""


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def retry(sleeps: list[float]) -> http_client.RetryPolicy:
    """Records the pauses instead of sleeping; jitter fixed at its midpoint."""
    return http_client.RetryPolicy(sleep=sleeps.append, rand=lambda: 0.5)


@pytest.fixture
def doc():
    document, problems = loader.load(DOC, "nexlayer.yaml")
    assert document is not None and not problems
    return document


def remote(doc, fake, retry, *, local_has_errors=False, timeout=5.0, send_secrets=False):
    return remote_validate.validate_remote(
        doc,
        api_url=fake.url,
        send_secrets=send_secrets,
        timeout=timeout,
        local_has_errors=local_has_errors,
        retry=retry,
    )


def only(problems, code="NX900"):
    assert [p.code for p in problems] == [code], problems
    return problems[0]


# -- settings and places ----------------------------------------------------------------------


def test_api_url_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    assert config.resolve_api_url(None) == "https://app.nexlayer.io"
    monkeypatch.setenv("NEXLAYER_API_URL", "https://staging.example/ ")
    assert config.resolve_api_url(None) == "https://staging.example/"
    assert config.resolve_api_url(" https://cli.example/api/ ") == "https://cli.example/api/"
    assert schema_cache.url_for("remote", "https://cli.example/api/") == "https://cli.example/api/schema"
    assert schema_cache.url_for("https://x.example/s.json", None) == "https://x.example/s.json"


def test_cache_dir_per_platform(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(schema_cache.sys, "platform", "linux")
    assert schema_cache.cache_dir() == tmp_path / "cache" / "nexlayer-lint"  # conftest points XDG_CACHE_HOME here
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")  # the XDG spec says: ignore relative paths
    assert schema_cache.cache_dir() == Path.home() / ".cache" / "nexlayer-lint"
    monkeypatch.setattr(schema_cache.sys, "platform", "darwin")
    assert schema_cache.cache_dir() == Path.home() / "Library" / "Caches" / "nexlayer-lint"
    monkeypatch.setattr(schema_cache.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    assert schema_cache.cache_dir() == tmp_path / "local" / "nexlayer-lint"


def test_cache_key_is_the_full_url_under_the_caches_own_key() -> None:
    assert schema_cache.cached_schema_path("https://a.example/x/schema.json") is None  # no key, nothing cached
    a = schema_cache.cached_schema_path("https://a.example/x/schema.json", create=True)
    b = schema_cache.cached_schema_path("https://b.example/y/schema.json")
    assert a is not None and b is not None and a != b and a.parent == b.parent == schema_cache.cache_dir()
    key = bytes.fromhex((schema_cache.cache_dir() / "cache-key").read_text())
    assert len(key) == 32
    assert a.name == hmac.new(key, b"https://a.example/x/schema.json", hashlib.sha256).hexdigest() + ".json"


@pytest.mark.parametrize(
    ("base", "joined"),
    [
        ("https://h.example", "https://h.example/validate"),
        ("https://h.example/", "https://h.example/validate"),
        ("https://h.example/api/?key=1", "https://h.example/api/validate?key=1"),
        ("https://u:p@h.example:8443/api?token=t#frag", "https://u:p@h.example:8443/api/validate?token=t"),
    ],
)
def test_endpoints_are_joined_to_the_path_keeping_the_query(base: str, joined: str) -> None:
    assert http_client.join_url(base, "validate") == joined


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://user:pw@h.example:8443/p/s.json?token=t#f", "https://h.example:8443/p/s.json"),
        ("https://token@h.example/s.json", "https://h.example/s.json"),
        ("http://[::1]:8080/x?y=1", "http://[::1]:8080/x"),
        ("https://h.example/\x1b]0\x07?t=1", "https://h.example/\\x1b]0\\x07"),  # escaped, never raw
        ("https://user:pw@h.example:notaport/", "<invalid URL>"),
        # hunt 41 F6: a path segment's parameters hold a session as a query would
        ("http://h.example/api;jsessionid=S3ss10n42/v1;token=t?x=1", "http://h.example/api/v1"),
        # hunt 186 F1: a token in the path is starred, as in a schema file's path
        ("http://h/ghp_16C7e42F292c6912E7710c838347Ae178B4a/s.json", "http://h/" + "*" * 40 + "/s.json"),
        ("http://h.example/glpat-abcdefghij0123456789", "http://h.example/" + "*" * 26),
        ("https://h.example/v1/schema-2024_05.json", "https://h.example/v1/schema-2024_05.json"),
    ],
)
def test_urls_are_shown_without_user_info_query_or_fragment(url: str, shown: str) -> None:
    assert http_client.display_url(url) == shown


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://h.example/a b", "it has spaces, control characters or non-ASCII characters"),
        ("https://h.example/\x1b[31m", "it has spaces, control characters or non-ASCII characters"),
        ("https://bücher.example/", "it has spaces, control characters or non-ASCII characters"),
        ("https://h.example:99999/", "it cannot be parsed"),
        ("ftp://h.example/", "it must start with https://"),
        ("https:///path-only", "it must start with https://"),
    ],
)
def test_urls_that_cannot_go_on_the_wire_are_refused_before_any_connection(url: str, reason: str, _no_network) -> None:
    with pytest.raises(http_client.RequestError, match="invalid URL") as raised:
        http_client.check_url(url)
    assert reason in str(raised.value) and "\x1b" not in str(raised.value)
    assert _no_network == []


# What the stubbed resolver answers for each name; a name not listed does not resolve.
RESOLVES_TO = {
    "localhost": ["::1", "127.0.0.1"],
    "api.localhost": ["127.0.0.1"],
    "mixed.localhost": ["127.0.0.1", "203.0.113.7"],
    "remote.localhost": ["203.0.113.7"],
    "empty.localhost": [],
}


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replaces the resolver with RESOLVES_TO; yields the names it was asked for."""
    asked: list[str] = []

    def resolve(host: str) -> list[str]:
        asked.append(host)
        if host not in RESOLVES_TO:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return RESOLVES_TO[host]

    monkeypatch.setattr(http_client, "resolve_host", resolve)
    return asked


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST.", True),
        ("api.localhost", True),
        ("128.0.0.1", False),
        ("10.0.0.1", False),
        ("example.com", False),
        ("localhost.example.com", False),
        ("::ffff:8.8.8.8", False),
        ("mixed.localhost", False),
        ("remote.localhost", False),
        ("empty.localhost", False),
        ("unknown.localhost", False),
    ],
)
def test_loopback_hosts(resolver, host: str, loopback: bool) -> None:
    assert http_client.is_loopback(host) is loopback
    name = host.lower().rstrip(".")  # addresses are judged as they are; only localhost names are resolved
    assert resolver == ([name] if name == "localhost" or name.endswith(".localhost") else [])


def test_plain_http_to_a_localhost_name_resolving_to_loopback_is_used(doc, fake_api, retry, resolver) -> None:
    # http.client must not resolve the name itself: it connects to the address that was checked
    fake_api.script("/validate", fa.valid())
    assert (
        remote_validate.validate_remote(
            doc, api_url=f"http://api.localhost:{fake_api.port}", local_has_errors=False, retry=retry
        )
        == []
    )
    [sent] = fake_api.requests
    assert sent.headers["host"] == f"api.localhost:{fake_api.port}"
    assert resolver == ["api.localhost"]


@pytest.mark.parametrize("name", ["mixed.localhost", "remote.localhost", "unknown.localhost"])
def test_plain_http_to_a_localhost_name_not_only_loopback_is_refused(
    doc, fake_api, retry, resolver, name, monkeypatch
) -> None:
    connected: list[object] = []
    monkeypatch.setattr(socket, "create_connection", lambda *args, **kwargs: connected.append(args))
    fake_api.script("/validate", fa.valid())
    problem = only(
        remote_validate.validate_remote(
            doc, api_url=f"http://{name}:{fake_api.port}", local_has_errors=False, retry=retry
        )
    )
    assert problem.message == (
        f"could not use http://{name}:{fake_api.port}/validate: refusing plain http to "
        f'"{name}": it does not resolve to loopback addresses only, and https is required '
        "for other hosts; only the local checks ran"
    )
    assert connected == [] and fake_api.count() == 0
    fake_api.script("/schema", fa.schema())
    fetched = schema_cache.load_remote_schema(f"http://{name}:{fake_api.port}/schema", retry=retry)
    assert fetched.schema is None and "refusing plain http" in fetched.warning
    assert connected == [] and fake_api.count() == 0


def test_plain_http_to_a_real_host_is_refused_without_a_connection(doc, retry, _no_network) -> None:
    problem = only(
        remote_validate.validate_remote(doc, api_url="http://api.example.com", local_has_errors=False, retry=retry)
    )
    assert 'refusing plain http to "api.example.com"' in problem.message
    fetched = schema_cache.load_remote_schema("http://api.example.com/schema", retry=retry)
    assert fetched.schema is None and "refusing plain http" in fetched.warning
    assert fetched.warning.endswith("using the bundled schema")
    assert _no_network == []  # refused before any socket was opened


def test_network_guard_blocks_tests_without_fake_api(_no_network) -> None:
    with pytest.raises(fa.NetworkBlocked):
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    assert _no_network == [("127.0.0.1", 9)]


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("application.pods[0].image", ("application", "pods", 0, "image")),
        ("pods.1.vars.DB_URL", ("pods", 1, "vars", "DB_URL")),
        ('application["odd.key"][2]', ("application", "odd.key", 2)),
        ("$.application.name", ("application", "name")),
        ("application..name", None),
        ("pods[x]", None),
        # Unicode digits are names, not indexes (int() refuses "²"); an index too long to name an item
        ("application.²", ("application", "²")),
        ("pods[²]", None),
        ("pods.\u0663", ("pods", "\u0663")),
        ("pods[" + "1" * 5000 + "]", None),
        ("pods." + "1" * 5000, None),
        ("pods[999999999].name", ("pods", 999999999, "name")),
        ("", None),
        (None, None),
        (42, None),
    ],
)
def test_parse_api_path(text, path) -> None:
    assert remote_validate.parse_api_path(text) == path


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("3", 3.0),
        ("0", 0.0),
        (None, None),
        ("soon", None),
        ("-1", None),
        ("²", None),  # str.isdigit() is true of it, float() refuses it
        (email.utils.formatdate(1_000_030, usegmt=True), 30.0),
        (email.utils.formatdate(999_000, usegmt=True), 0.0),
        # hunt 101 F1: a date no clock holds was an OverflowError, a traceback
        ("Mon, 01 Jan 99999999999999999999 00:00:00 GMT", None),
        ("Mon, 99999999999999999999 Jan 2026 00:00:00 GMT", None),
        ("Mon, 01 Jan 2026 99999999999999999999:00:00 GMT", None),
    ],
)
def test_parse_retry_after(value, seconds) -> None:
    assert http_client.parse_retry_after(value, now=1_000_000) == seconds


def test_redirect_policy() -> None:
    assert http_client._check_redirect("https://a.example/validate", "/v2/validate") == "https://a.example/v2/validate"
    with pytest.raises(http_client.RequestError, match="redirected to http URL"):
        http_client._check_redirect("https://a.example/schema", "http://a.example/schema")
    with pytest.raises(http_client.RequestError, match="another host"):
        http_client._check_redirect("https://a.example/schema", "https://evil.example/schema")
    with pytest.raises(http_client.RequestError, match="another host"):
        http_client._check_redirect("https://a.example/schema", "https://a.example:8443/schema")
    for location in ("http://[::1", "https://[zz]/x", "https://a.example:99999/x"):
        with pytest.raises(http_client.RequestError, match="redirected to an invalid URL"):
            http_client._check_redirect("https://a.example/schema", location)


def test_https_proxy_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    assert http_client._proxy_for("api.example") is None
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    assert http_client._proxy_for("api.example") == ("proxy.example", 3128, None)
    assert http_client._proxy_for("127.0.0.1") is None  # loopback never goes through a proxy
    assert http_client._proxy_for("api.localhost") is None
    monkeypatch.setenv("NO_PROXY", "api.example")
    assert http_client._proxy_for("api.example") is None
    # hunt 116 F6: a proxy that is no URL was passed by, and the request went straight to the API
    monkeypatch.delenv("NO_PROXY")
    for proxy in ("http://127.0.0.1:99999", "http://127.0.0.1:31a8", "http://:3128"):
        monkeypatch.setenv("HTTPS_PROXY", proxy)
        with pytest.raises(http_client.RequestError, match=r"proxy set in the environment \(HTTPS_PROXY\) is not"):
            http_client._proxy_for("api.example")


def _refusing_proxy(reason: Any, heads: list[str], answers: int = 1) -> socket.socket:
    """A proxy on 127.0.0.1 that answers `answers` CONNECTs with a 407 worded by `reason(head)`,
    keeping each request's head in `heads`; then nothing listens once its socket is closed."""
    server = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        for _ in range(answers):
            conn, _ = server.accept()
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    data += conn.recv(4096) or b"\r\n\r\n"
                heads.append(data.decode("latin-1"))
                conn.sendall(f"HTTP/1.1 407 {reason(heads[-1])}\r\nContent-Length: 0\r\n\r\n".encode("latin-1"))

    threading.Thread(target=serve, daemon=True).start()
    return server


def test_a_proxy_quoting_its_credentials_back_is_shown_them_starred(fake_api, monkeypatch: pytest.MonkeyPatch) -> None:
    # hunt 116 F2: a proxy's 407 may quote the user-info of HTTPS_PROXY, or its Basic token
    import base64
    from urllib.parse import quote

    def quoting(head: str) -> str:
        token = head.split("Proxy-Authorization: Basic ", 1)[1].split("\r\n", 1)[0]
        pair = base64.b64decode(token).decode()
        return f"{pair} [{quote(pair.partition(':')[2], safe='')}] (Basic {token}) refused"

    cases = (
        ("ci:CnryPr%3Axy", "ci:**** [****] (****)"),
        ("CnryKey9x:", "****: [] (****)"),  # hunt 117 F5: a key given as the user name, no password
        # hunt 118 F5: a key as the user name beside options; a password quoted back escaped
        ("CnryKeyAsUser0123:js_render=true", "****:**** [****] (****)"),
        ("alice:Cnry%40Pw!", "alice:**** [****] (****)"),
    )
    server = _refusing_proxy(quoting, [], answers=len(cases))
    port = server.getsockname()[1]
    for name in ("https_proxy", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    for user_info, shown in cases:
        monkeypatch.setenv("HTTPS_PROXY", f"http://{user_info}@127.0.0.1:{port}")
        with pytest.raises(http_client.RequestError) as refused:
            http_client.request("GET", "https://api.example/schema", timeout=5)
        assert str(refused.value) == f"the proxy 127.0.0.1 refused the tunnel (407 {shown} refused)"
    server.close()


def test_a_key_in_the_api_url_quoted_back_cut_short_without_dots_is_starred() -> None:
    # hunt 203 F5: only a cut marked `...` was looked for; a file's secrets were scrubbed of any echo
    hide = http_client.credentials_hider("https://api.example/?api_key=CnryKf83LmPq72XsWv41RtYb")
    assert hide("Invalid API key CnryKf83LmPq72Xs (check the key)") == "Invalid API key **** (check the key)"
    assert hide("Invalid API key cnrykf83lmpq72xswv41rtyb") == "Invalid API key ****"
    assert (
        hide("the version is 2.3, see https://api.example/docs") == "the version is 2.3, see https://api.example/docs"
    )
    # hunt 205 F1: a credential in the path, as a segment or a bare parameter, is looked for altered too
    for url in ("https://api.example/API_KEY=CnryKf83LmPq72XsAbCdEf", "https://api.example/api;CnryKf83LmPq72XsAbCdEf"):
        assert http_client.credentials_hider(url)("Invalid API key CnryKf83LmPq72Xs") == "Invalid API key ****", url
    # hunt 204 F1: a long query value that names no credential is starred as written, not its echoes
    hide = http_client.credentials_hider("https://api.example/?org=my-organization")
    said = "registry not allowed for this organization; ask your organization admin"
    assert hide(said) == said and hide("org my-organization") == "org ****"


def test_a_proxy_quoting_its_password_cut_short_is_shown_it_starred(fake_api, monkeypatch: pytest.MonkeyPatch) -> None:
    # hunt 203 F2: the proxy's path had no cut-start starring, which a reply's has
    server = _refusing_proxy(lambda head: "wrong password CnryPr0xyS3cr...", [], answers=1)
    for name in ("https_proxy", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", f"http://ci:CnryPr0xyS3cretLongPass@127.0.0.1:{server.getsockname()[1]}")
    with pytest.raises(http_client.RequestError) as refused:
        http_client.request("GET", "https://api.example/schema", timeout=5)
    assert str(refused.value) == "the proxy 127.0.0.1 refused the tunnel (407 wrong password ****)"
    server.close()


def test_a_proxys_user_and_password_are_sent_as_urllib_sends_them(fake_api, monkeypatch: pytest.MonkeyPatch) -> None:
    # hunt 35 F5: `HTTPS_PROXY=http://user:pass@proxy:port` lost its credentials: the proxy's 407
    heads: list[str] = []
    server = _refusing_proxy(lambda head: "Proxy Authentication Required", heads)
    for name in ("https_proxy", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", f"http://ci%40corp:Pa%3Ass@127.0.0.1:{server.getsockname()[1]}")
    port = server.getsockname()[1]
    # hunt 101 F4: the proxy's answer was "network error (OSError)", its failures blamed on the API
    with pytest.raises(http_client.RequestError) as refused:
        http_client.request("GET", "https://api.example/schema", timeout=5)
    assert str(refused.value) == "the proxy 127.0.0.1 refused the tunnel (407 Proxy Authentication Required)"
    server.close()
    assert heads[0].startswith("CONNECT api.example:443 HTTP/1.")
    assert "\r\nProxy-Authorization: Basic Y2lAY29ycDpQYTpzcw==\r\n" in heads[0]  # ci@corp:Pa:ss
    with pytest.raises(http_client.RequestError) as refused:
        http_client.request("GET", "https://api.example/schema", timeout=5)  # nothing listens there now
    assert str(refused.value) == "connection refused by the proxy 127.0.0.1"
    monkeypatch.setenv("HTTPS_PROXY", f"http://proxy.invalid:{port}")
    with pytest.raises(http_client.RequestError) as refused:
        http_client.request("GET", "https://api.example/schema", timeout=5)
    assert str(refused.value) == 'cannot resolve host "proxy.invalid" (the proxy proxy.invalid)'


# -- POST /validate ---------------------------------------------------------------------------


def test_valid_file_is_confirmed(doc, fake_api, retry) -> None:
    fake_api.script("/validate", fa.valid())
    assert remote(doc, fake_api, retry) == []
    [sent] = fake_api.requests
    assert (sent.method, sent.path) == ("POST", "/validate")
    assert sent.headers["content-type"] == "application/json"
    assert sent.headers["user-agent"] == f"nexlayer-lint/{__version__}"
    assert sent.json()["application"]["name"] == "shop"


def test_secret_values_are_replaced_before_sending(doc, fake_api, retry) -> None:
    fake_api.script("/validate", fa.valid())
    remote(doc, fake_api, retry)
    body = fake_api.requests[0].body.decode()
    assert "ghp_s3cretTokenValue123" not in body and "hunter2-literal" not in body
    sent = json.loads(body)["application"]
    assert isinstance(sent["registryLogin"]["personalAccessToken"], str)  # same type, placeholder value
    assert sent["pods"][0]["vars"]["MODE"] == "prod"  # ordinary values go as they are


def test_send_secrets_sends_them(doc, fake_api, retry) -> None:
    fake_api.script("/validate", fa.valid())
    remote(doc, fake_api, retry, send_secrets=True)
    sent = fake_api.requests[0].json()["application"]
    assert sent["registryLogin"]["personalAccessToken"] == "ghp_s3cretTokenValue123"


def test_a_secret_quoted_back_encoded_is_starred(fake_api, retry) -> None:
    # hunt 245 F1, F2: base64 (Docker's `auth`, base64 of `user:token`), hex, and the text a
    # base64 `secrets[].data` decodes to, quoted back by a server that was sent them
    import base64

    data = base64.b64encode(b'{"password": "Zk9Pw4Lq7Xs2Rt5V"}').decode()
    text = DOC + f"      secrets:\n        - name: creds\n          data: {data}\n"
    text += "          mountPath: /var/secrets\n          fileName: creds.json\n"
    document, _ = loader.load(text, "nexlayer.yaml")
    auth = base64.b64encode(b"acme:ghp_s3cretTokenValue123").decode()
    fake_api.script(
        "/validate",
        fa.invalid(
            {"path": "application.registryLogin", "message": f"docker auth {auth} was refused"},
            {"path": "application.pods[0].vars.DB_PASSWORD", "message": "hex " + b"hunter2-literal".hex()},
            {"path": "application.pods[0].secrets[0].data", "message": 'not a file: {"password": "Zk9Pw4Lq7Xs2Rt5V"}'},
        ),
    )
    messages = [p.message for p in remote(document, fake_api, retry, send_secrets=True) if p.code == "NX901"]
    shown = "\n".join(messages)
    assert len(messages) == 3 and shown.count("****") == 3, shown
    assert len(shown.split("docker auth ")[1].split("*")[0]) <= 8  # `acme:` and a bit, in base64
    for echo in (auth[8:], b"hunter2-literal".hex(), "Zk9Pw4Lq7Xs2Rt5V"):
        assert echo not in shown
    assert "not a file: ****" in shown  # the decoded text is the secret, whole


def test_rejection_details_map_to_lines(doc, fake_api, retry) -> None:
    fake_api.script(
        "/validate",
        fa.invalid(
            {"path": "application.pods[0].image", "message": "Image not allowed"},
            {"field": "pods[0].servicePorts", "message": "Bad ports"},
            {"path": "application.pods[0].volumes", "message": "Required field missing"},
            {"path": "application.nothing.here[3]", "message": "Unknown thing"},
            {"path": "pods[0", "message": "What"},
        ),
    )
    problems = remote(doc, fake_api, retry)
    nx901 = [p for p in problems if p.code == "NX901"]
    assert len(nx901) == 5
    image, ports, missing, unknown, garbled = nx901
    assert image.path == ("application", "pods", 0, "image") and image.span is None
    assert image.message == 'the Nexlayer API rejected "application.pods[0].image": "Image not allowed"'
    assert doc.locate(image.path).line == 9 and doc.locate(image.path).col == 14
    # `field` form, without the "application." root
    assert ports.path == ("application", "pods", 0, "servicePorts") and doc.locate(ports.path).line == 11
    # a missing key points at the key of the mapping that lacks it
    assert (missing.path, missing.at) == (("application", "pods", 0), "key")
    assert unknown.span == Span(1, 1, 1, 1) and unknown.path == ()
    assert "Unknown thing" in unknown.message
    assert garbled.span == Span(1, 1, 1, 1) and garbled.message == 'the Nexlayer API rejected the file: "What"'
    # the local checks found no error, the API did: NX902 says they disagree
    nx902 = only([p for p in problems if p.code == "NX902"], "NX902")
    assert nx902.span == Span(1, 1, 1, 1)
    assert nx902.message == "the Nexlayer API rejected the file, but the local checks found no errors"


def test_rejection_paths_int_cannot_read_are_placed_not_a_crash(doc, fake_api, retry) -> None:
    fake_api.script(
        "/validate",
        fa.invalid(
            {"path": "application.²", "message": "Superscript"},  # str.isdigit() is true of "²"
            {"path": "application.pods[" + "1" * 5000 + "]", "message": "Long index"},
        ),
    )
    superscript, long_index = [p for p in remote(doc, fake_api, retry, local_has_errors=True) if p.code == "NX901"]
    assert (superscript.path, superscript.at) == (("application",), "key")  # a key the mapping lacks
    assert long_index.span == Span(1, 1, 1, 1)
    assert long_index.message == 'the Nexlayer API rejected the file: "Long index"'


def test_plain_error_string(doc, fake_api, retry) -> None:
    fake_api.script("/validate", fa.error_only("Invalid YAML:\x1b[31m bad\x07"))
    problem = only(remote(doc, fake_api, retry, local_has_errors=True), "NX901")
    assert problem.span == Span(1, 1, 1, 1)
    assert problem.message == 'the Nexlayer API rejected the file: "Invalid YAML: [31m bad"'  # no control chars


def test_remote_accepts_what_local_rejects(doc, fake_api, retry) -> None:
    fake_api.script("/validate", fa.valid())
    problem = only(remote(doc, fake_api, retry, local_has_errors=True), "NX902")
    assert problem.message == "the Nexlayer API accepted the file, but the local checks found errors"


def test_429_is_retried_honouring_retry_after(doc, fake_api, retry, sleeps) -> None:
    fake_api.script("/validate", fa.status(429, retry_after="2"), fa.valid())
    assert remote(doc, fake_api, retry) == []
    assert fake_api.count("/validate") == 2
    assert sleeps == [2.0]


def test_a_retry_after_of_unicode_digits_is_ignored_not_a_crash(doc, fake_api, retry, sleeps) -> None:
    fake_api.script("/validate", fa.status(429, retry_after="²"), fa.valid())  # byte 0xB2 on the wire
    assert remote(doc, fake_api, retry) == []
    assert sleeps == [0.375]  # the backoff's own pause


def test_retry_after_as_http_date_and_capped(doc, fake_api, retry, sleeps) -> None:
    soon = email.utils.formatdate(time.time() + 4, usegmt=True)
    fake_api.script("/validate", fa.status(503, retry_after=soon), fa.status(429, retry_after="3600"), fa.valid())
    assert remote(doc, fake_api, retry, timeout=60) == []  # the pauses fit in the deadline
    assert fake_api.count("/validate") == 3
    assert 2.0 <= sleeps[0] <= 4.0  # the date, whole seconds, minus the time the test took
    assert sleeps[1] == 10.0  # an hour is capped at 10 s


def test_5xx_is_retried_three_times_with_backoff(doc, fake_api, retry, sleeps) -> None:
    fake_api.script("/validate", fa.status(500))
    problem = only(remote(doc, fake_api, retry))
    assert fake_api.count("/validate") == 4  # the first try and three retries
    assert sleeps == [0.375, 0.75, 1.5]  # base 0.5 doubling, equal jitter at its midpoint
    assert problem.message == (
        f"could not use {fake_api.url}/validate: HTTP 500 after 4 attempts; only the local checks ran"
    )
    assert problem.span == Span(1, 1, 1, 1)


def test_backoff_is_jittered_and_capped() -> None:
    policy = http_client.RetryPolicy(base=1.0, cap=10.0, rand=lambda: 1.0)
    assert [policy.backoff(n, None) for n in range(6)] == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    low = http_client.RetryPolicy(base=1.0, rand=lambda: 0.0)
    assert low.backoff(2, None) == 2.0  # never below half the step: no thundering herd at zero


@pytest.mark.parametrize("code", [400, 401, 403, 404, 409])
def test_other_4xx_are_not_retried(doc, fake_api, retry, sleeps, code) -> None:
    fake_api.script("/validate", fa.status(code, body={"message": "nope"}) if code == 400 else fa.status(code))
    problem = only(remote(doc, fake_api, retry, local_has_errors=True), "NX901" if code == 400 else "NX900")
    assert fake_api.count("/validate") == 1 and sleeps == []
    # a 400 is the API refusing the file: its message is the reason
    expected = 'rejected the file: "nope"' if code == 400 else f"HTTP {code};"
    assert expected in problem.message


# hunt 21 F5: the answers that were "unexpected response shape" (NX900, exit 0) although the API
# refused the file: nexlayer-mcp's wrapper, and a 400 or 422 that says nothing readable
REFUSALS = {
    "the wrapper, details with field": (
        fa.Reply(
            200,
            {
                "success": True,
                "data": {"valid": False, "errors": [{"field": "application.pods[0].image", "message": "no"}]},
            },
        ),
        ('the Nexlayer API rejected "application.pods[0].image": "no"', 9),
    ),
    "the wrapper, errors as strings": (
        fa.Reply(200, {"success": True, "data": {"valid": False, "errors": ["image not found"]}}),
        ('the Nexlayer API rejected the file: "image not found"', 1),
    ),
    "the wrapper, its message": (
        fa.Reply(200, {"success": False, "data": {"valid": False, "message": "Validation failed"}}),
        ('the Nexlayer API rejected the file: "Validation failed"', 1),
    ),
    "the wrapper, no reason": (
        fa.Reply(200, {"success": True, "data": {"valid": False}}),
        ("the Nexlayer API rejected the file without saying why", 1),
    ),
    "valid false, no reason": (
        fa.Reply(200, {"valid": False}),
        ("the Nexlayer API rejected the file without saying why", 1),
    ),
    "400, an empty object": (
        fa.Reply(400, {}),
        ("the Nexlayer API rejected the file without saying why (HTTP 400)", 1),
    ),
    "400, plain text": (
        fa.Reply(400, b"Bad Request", {"Content-Type": "text/plain"}),
        ("the Nexlayer API rejected the file without saying why (HTTP 400)", 1),
    ),
    "400, no body": (fa.Reply(400, b""), ("the Nexlayer API rejected the file without saying why (HTTP 400)", 1)),
    "400, a list": (fa.Reply(400, [1]), ("the Nexlayer API rejected the file without saying why (HTTP 400)", 1)),
    "400, details unreadable": (
        fa.Reply(400, {"details": 5}),
        ("the Nexlayer API rejected the file without saying why (HTTP 400)", 1),
    ),
    # hunt 142 F6: errors by place, or one text, at the level the other's `valid: true` undid
    "data errors by place, valid true": (
        fa.Reply(200, {"valid": True, "data": {"errors": {"application.name": "name already taken"}}}),
        ('the Nexlayer API rejected "application.name": "name already taken"', 2),
    ),
    "errors as a text, data valid true": (
        fa.Reply(200, {"success": True, "errors": "name already taken", "data": {"valid": True}}),
        ('the Nexlayer API rejected the file: "name already taken"', 1),
    ),
    # hunt 140 F3: the wrapper's `data` undid the top level's refusal (exit 0)
    "valid false, data valid true": (
        fa.Reply(
            200, {"valid": False, "errors": [{"path": "application.name", "message": "taken"}], "data": {"valid": True}}
        ),
        ('the Nexlayer API rejected "application.name": "taken"', 2),
    ),
    "errors, data with none": (
        fa.Reply(200, {"message": "Validation failed", "errors": ["image is required"], "data": {"errors": []}}),
        ('the Nexlayer API rejected the file: "image is required"', 1),
    ),
    "valid false, data valid null": (
        fa.Reply(200, {"valid": False, "message": "Validation failed", "data": {"valid": None}}),
        ('the Nexlayer API rejected the file: "Validation failed"', 1),
    ),
    # hunt 59 F3: a 200 listing errors in another shape was "could not use" (NX900, exit 0)
    "200, errors by place": (
        fa.Reply(200, {"message": "Validation failed", "errors": {"application.name": ["is taken"]}}),
        ('the Nexlayer API rejected "application.name": "is taken"', 2),
    ),
    "200, errors as one text": (
        fa.Reply(200, {"errors": "application.name is taken"}),
        ('the Nexlayer API rejected the file: "application.name is taken"', 1),
    ),
    # hunt 61 F2, F3: a mapping in `details` is no error when `errors` lists some; a JSON pointer
    "200, details a mapping beside errors": (
        fa.Reply(
            200,
            {
                "valid": False,
                "details": {"requestId": "r-1"},
                "errors": [{"message": "no", "path": "application.name"}],
            },
        ),
        ('the Nexlayer API rejected "application.name": "no"', 2),
    ),
    # hunt 62 F1, F2: a pointer's odd steps neither crash nor lose the place of a dotted name
    "400, instancePath of a dotted var": (
        fa.Reply(400, {"errors": [{"instancePath": "/application/pods/0/vars/A.B", "message": "no"}]}),
        ('the Nexlayer API rejected "application.pods[0].vars.A.B": "no"', 13),  # at vars: no such var
    ),
    "400, instancePath unplaceable": (
        fa.Reply(400, {"errors": [{"instancePath": "/application/pods/" + "9" * 5000, "message": "no"}]}),
        ('the Nexlayer API rejected the file: "no"', 1),
    ),
    # hunt 247 F3: a refusal's details are read however its server writes numbers (Python: `Infinity`)
    "400, a number JSON has not": (
        fa.Reply(400, b'{"errors": [{"path": "application.pods[0].image", "message": "no", "limit": Infinity}]}'),
        ('the Nexlayer API rejected "application.pods[0].image": "no"', 9),
    ),
    "400, instancePath": (
        fa.Reply(400, {"errors": [{"instancePath": "/application/pods/0/image", "message": "no"}]}),
        ('the Nexlayer API rejected "application.pods[0].image": "no"', 9),
    ),
    # hunt 59 F4: the reason and the place in the shapes of common frameworks
    "400, express-validator": (
        fa.Reply(400, {"errors": [{"type": "field", "msg": "is taken", "path": "application.name"}]}),
        ('the Nexlayer API rejected "application.name": "is taken"', 2),
    ),
    "422, FastAPI": (
        fa.Reply(422, {"detail": [{"loc": ["body", "application", "pods", 0, "image"], "msg": "no"}]}),
        ('the Nexlayer API rejected "application.pods[0].image": "no"', 9),
    ),
    "400, error as an object": (
        fa.Reply(400, {"error": {"message": "application.name is taken"}}),
        ('the Nexlayer API rejected the file: "application.name is taken"', 1),
    ),
    # hunt 35 F3: a refusal whose `valid` is not true or false was "no verdict" (NX900, exit 0)
    "422, valid a string": (
        fa.Reply(422, {"valid": "false"}),
        ("the Nexlayer API rejected the file without saying why (HTTP 422)", 1),
    ),
    "400, valid 0": (
        fa.Reply(400, {"valid": 0}),
        ("the Nexlayer API rejected the file without saying why (HTTP 400)", 1),
    ),
    # hunt 35 F4: a 200 listing errors without `valid` was read as an acceptance
    "200, errors without valid": (
        fa.Reply(200, {"message": "Validation failed", "errors": ["pods is required"]}),
        ('the Nexlayer API rejected the file: "pods is required"', 1),
    ),
    # hunt 116 F5: FastAPI's `detail` beside a `message`
    "200, detail beside a message": (
        fa.Reply(200, {"message": "Failed", "detail": [{"loc": ["body", "application", "name"], "msg": "is taken"}]}),
        ('the Nexlayer API rejected "application.name": "is taken"', 2),
    ),
    "200, wrapper with details": (
        fa.Reply(200, {"success": True, "data": {"details": [{"path": "application.name", "message": "bad"}]}}),
        ('the Nexlayer API rejected "application.name": "bad"', 2),
    ),
    # hunt 118 F6: FastAPI's `detail` inside nexlayer-mcp's wrapper, beside its `message`
    "200, wrapper with detail": (
        fa.Reply(
            200,
            {"success": True, "message": "Validation completed", "data": {"detail": [{"loc": ["body"], "msg": "bad"}]}},
        ),
        ('the Nexlayer API rejected the file: "bad"', 1),
    ),
    # hunt 122 F8: and with `success: false`, at the top or in the wrapper
    "200, success false with detail": (
        fa.Reply(200, {"success": False, "detail": [{"loc": ["body"], "msg": "bad"}]}),
        ('the Nexlayer API rejected the file: "bad"', 1),
    ),
    "200, success false, wrapper with detail": (
        fa.Reply(200, {"success": False, "error": "Validation failed", "data": {"detail": [{"msg": "bad"}]}}),
        ('the Nexlayer API rejected the file: "bad"', 1),
    ),
    "200, success false with errors": (
        fa.Reply(200, {"success": False, "errors": ["no pods"]}),
        ('the Nexlayer API rejected the file: "no pods"', 1),
    ),
    "422, HTML": (
        fa.Reply(422, b"<html>422</html>", {"Content-Type": "text/html"}),
        ("the Nexlayer API rejected the file without saying why (HTTP 422)", 1),
    ),
}


@pytest.mark.parametrize("send_secrets", [False, True])
def test_the_api_urls_key_quoted_back_is_starred(doc, fake_api, retry, send_secrets) -> None:
    # hunt 35 F2: --api-url never shows its query, but a server quoting the key printed it
    key = "nxk_live_7Hq2Zp9Lw4Rt8Vb3"
    fake_api.script("/validate", fa.Reply(200, {"success": False, "error": f"Invalid API key {key}"}))
    [problem] = remote_validate.validate_remote(
        doc, api_url=f"{fake_api.url}?token={key}", send_secrets=send_secrets, local_has_errors=False, retry=retry
    )
    assert problem.code == "NX900" and "Invalid API key ****" in problem.message and key not in problem.message


def test_only_credentials_of_the_api_url_are_starred() -> None:
    # hunt 36 F7: `?env=prod` starred every "prod" of a reply
    hide = http_client.credentials_hider("https://u:pw-Secret1@api.example/?env=prod&v=1&sig=a8Kq2ZxW9pLm3&key=k3y4")
    assert hide("prod v=1 pw-Secret1 a8Kq2ZxW9pLm3 k3y4") == "prod v=1 **** **** ****"
    # hunt 37 F6: short credentials under a name that says so
    hide = http_client.credentials_hider("https://api.example/?pwd=hunter22&session_id=x9Q2&code=validate")
    assert hide("hunter22 x9Q2 validate") == "**** **** validate"  # hunt 38 F8: `code` alone is no credential
    hide = http_client.credentials_hider("https://api.example/v1;jsessionid=S3ss10nSecret42;lang=en/x")
    assert hide("S3ss10nSecret42 en") == "**** en"  # hunt 41 F6: path parameters too
    hide = http_client.credentials_hider("https://api.example/x;Tok3nNoEqualsAbc/y")
    assert hide("at /x;Tok3nNoEqualsAbc/y") == "at /x;****/y"  # hunt 44 F7: a bare one
    # hunt 116 F4: quoted back as written, in escapes Python's quote() does not write
    hide = http_client.credentials_hider("https://api.example/?token=Secr3t%2fPart2&api_key=abcd%7eEFGH%7eijkl")
    assert hide("?token=Secr3t%2fPart2 ?token=Secr3t%2FPart2 abcd%7eEFGH%7eijkl abcd~EFGH~ijkl") == (
        "?token=**** ?token=**** **** ****"
    )
    # hunt 171 F2: quoted back in another case
    hide = http_client.credentials_hider("http://u:UserPassword99@h/?token=QryTokSecret12345")
    assert hide("key QRYTOKSECRET12345 qrytoksecret12345 password USERPASSWORD99") == "key **** **** password ****"
    # hunt 187 F3: a token in the path, quoted back by the reply
    hide = http_client.credentials_hider("http://h/ghp_16C7e42F292c6912E7710c838347Ae178B4a/validate")
    assert hide("bad key /ghp_16C7e42F292c6912E7710c838347Ae178B4a/validate") == "bad key /****/validate"
    # hunt 190 F4: and decoded, as a reply quotes it
    hide = http_client.credentials_hider(
        "http://h/t/API_KEY=Zk9P%2Fw4Lq7Xs2/gh%70_16C7e42F292c6912E7710c838347Ae178B4a"
    )
    assert hide("/t/API_KEY=Zk9P/w4Lq7Xs2/ghp_16C7e42F292c6912E7710c838347Ae178B4a") == "/t/API_KEY=****"
    escaped = "http://h/gh%70_16C7e42F292c6912E7710c838347Ae178B4a/x"
    assert http_client.display_url(escaped) == "http://h/" + "*" * 42 + "/x"


def test_a_credentials_start_cut_short_is_starred_in_bounded_memory() -> None:
    # hunt 145 F1: a message cut a pattern quoting the password; hunt 149 F4: a word ending in
    # the password's first letter before `...` was starred; F3: every start of a credential was
    # kept, 5 GB for one of 100,000 characters
    import tracemalloc

    hide = http_client.credentials_hider("http://app:s3cretZq9x@127.0.0.1:5/")
    assert hide('jobs... "^(a|s3cre..." s3c... s3cretZq9x') == 'jobs... "^(a|****" **** ****'
    tracemalloc.start()
    try:
        long_key = "k" * 100_000
        hide = http_client.credentials_hider(f"https://u:{long_key}@api.example/")
        assert hide(f"the pattern {long_key[:50]}... is refused") == "the pattern **** is refused"
        # hunt 153 F1: a start longer than 100 characters was shown; F12: `…`, and an end after `...`
        assert hide(f"token {long_key[:150]}... bad, {long_key[:9]}\u2026 bad, ...{long_key[-12:]} bad") == (
            "token **** bad, **** bad, **** bad"
        )
        assert tracemalloc.get_traced_memory()[1] < 20_000_000
    finally:
        tracemalloc.stop()


def test_the_api_urls_key_in_a_schema_redirect_is_starred(fake_api, retry) -> None:
    key = "nxk_live_7Hq2Zp9Lw4Rt8Vb3"
    fake_api.script("/schema", fa.Reply(302, b"", {"Location": f"https://login.example.com/{key}/expired"}))
    fetched = schema_cache.load_remote_schema(f"{fake_api.url}/schema?token={key}", retry=retry)
    assert fetched.schema is None and "login.example.com/****/expired" in fetched.warning and key not in fetched.warning


def test_the_api_urls_key_quoted_in_a_served_schemas_texts_is_starred(fake_api, retry) -> None:
    # hunt 140 F1: the version, descriptions and x-messages of a served schema were printed as they
    # were, the URL's key in them; the keywords validation reads are left as they are
    key = "nxk_live_7Hq2Zp9Lw4Rt8Vb4"
    served = schema.load_bundled()
    served["description"] = f"for key {key}"
    served["x-messages"] = {"pattern": f"refused for key {key}"}
    served["$defs"]["keyed"] = {"type": "string", "const": key}
    served["$defs"]["x-named"] = {"type": "string", "pattern": f"^{key}$"}  # a name, not a vendor key (hunt 141 F5)
    fake_api.script("/schema", fa.Reply(200, {"data": {"schema": served, "version": f"2026.1 ({key})"}}))
    url = f"{fake_api.url}/schema?token={key}"
    for _ in range(2):  # fetched, then from the cache
        fetched = schema_cache.load_remote_schema(url, retry=retry)
        assert fetched.schema is not None and fetched.info is not None and fetched.warning is None
        assert fetched.info.version == "2026.1 (****)" and fetched.schema["description"] == "for key ****"
        assert fetched.schema["x-messages"] == {"pattern": "refused for key ****"}
        assert fetched.schema["$defs"]["keyed"]["const"] == key
        assert fetched.schema["$defs"]["x-named"]["pattern"] == f"^{key}$"
    assert fake_api.count() == 1  # the second from the cache


def test_a_refused_cached_schema_is_told_without_the_urls_key(fake_api, retry) -> None:
    # a refusal quotes the pattern, and a served pattern may quote the key back
    key = "nxk_live_7Hq2Zp9Lw4Rt8Vb5"
    url = f"{fake_api.url}/schema?token={key}"
    cached = schema_cache.cached_schema_path(url, create=True)
    assert cached is not None
    cached.write_text(json.dumps({"properties": {"a": {"type": "string", "pattern": f"^(a+)+{key}$"}}}))
    fake_api.script("/schema", fa.Reply(404, b""))
    fetched = schema_cache.load_remote_schema(url, retry=retry)
    assert fetched.schema is None and fetched.warning is not None
    assert "ignored the cached schema" in fetched.warning and "^(a+)+****$" in fetched.warning
    assert key not in fetched.warning


def test_a_reply_of_many_details_gives_a_bounded_number_of_findings(doc, fake_api, retry) -> None:
    # hunt 35 F8: 560,000 details in one reply were 560,000 NX901s (400 MB, 4.5 s)
    details = [{"path": "application.name", "message": f"bad {i}"} for i in range(5_000)]
    fake_api.script("/validate", fa.Reply(422, {"error": "invalid", "details": details}))
    problems = remote(doc, fake_api, retry, local_has_errors=True)
    assert len(problems) == remote_validate.MAX_REJECTIONS + 1
    assert (
        problems[-1].message
        == f"the Nexlayer API rejected {5_000 - remote_validate.MAX_REJECTIONS:,} more details, not shown"
    )


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_every_refusal_is_nx901(doc, fake_api, retry, name) -> None:
    reply, (message, line) = REFUSALS[name]
    fake_api.script("/validate", reply)
    problem = only(remote(doc, fake_api, retry, local_has_errors=True), "NX901")
    assert problem.message == message
    assert (doc.locate(problem.path).line if problem.span is None else problem.span.line) == line
    if "without saying why" in message:
        assert problem.hint.startswith("if it refuses every file, even a valid one")


@pytest.mark.parametrize(
    "body",
    [
        {"success": True, "data": {"valid": True}},
        {"success": True, "data": {"valid": True, "message": "ok", "warnings": ["w"]}},
        {"valid": True},
        # hunt 24: a null error is none, and an explicit verdict wins over a stray error
        {"message": "Nexlayer YAML file is valid.", "error": None},
        {"success": True, "error": "rate limit near", "data": {"valid": True}},
        # hunt 141 F3: metadata beside the wrapper's verdict is no refusal
        {"success": True, "data": {"valid": True}, "details": {"requestId": "r-1"}},
        {"valid": True, "data": {"details": {"requestId": "r-1"}}},
        {"success": True, "data": {"valid": True, "message": "ok"}, "errors": {"count": 0}},
    ],
)
def test_an_explicit_valid_is_an_acceptance(doc, fake_api, retry, body) -> None:
    fake_api.script("/validate", fa.Reply(200, body))
    assert remote(doc, fake_api, retry) == []


def test_cli_a_refusal_in_the_wrapper_or_without_a_reason_fails_the_run(cli, fake_api, good_file) -> None:
    wrapped = {
        "success": True,
        "data": {"valid": False, "errors": [{"field": "application.pods[1].image", "message": "no"}]},
    }
    fake_api.script("/validate", fa.Reply(200, wrapped), fa.Reply(400, b"Bad Request"))
    first = cli("--remote", "--api-url", fake_api.url, "--no-show-source", str(good_file))
    assert first.exit_code == 1, first.output
    assert f'{good_file}:13:14: error NX901 the Nexlayer API rejected "application.pods[1].image": "no"' in first.output
    second = cli("--remote", "--api-url", fake_api.url, "--no-show-source", str(good_file))
    assert second.exit_code == 1, second.output
    assert (
        f"{good_file}:1:1: error NX901 the Nexlayer API rejected the file without saying why (HTTP 400) "
        "[remote-rejected]" in second.output
    )


def test_the_api_urls_key_in_a_served_schemas_enum_is_starred_in_messages(cli, fake_api, good_file) -> None:
    # the keywords validation reads are left as served, and a message names them (hunt 141)
    key = "nxk_live_7Hq2Zp9Lw4Rt8Vb6"
    served = schema.load_bundled()
    served["$defs"]["application"]["properties"]["name"] = {"type": "string", "enum": ["shop", key]}
    fake_api.script("/schema", fa.Reply(200, served))
    result = cli("--schema", f"{fake_api.url}/schema?token={key}", "--no-show-source", str(good_file))
    assert "NX104" in result.output and '"****"' in result.output and key not in result.output


def test_the_api_urls_key_cut_short_by_a_message_is_starred_and_no_fix_writes_it(cli, fake_api, good_file) -> None:
    # hunt 145 F1: a message cuts a long enum item or pattern, and the hider looked for the whole
    # key only, so its first characters showed; F6: a rename to a key named so showed it in the
    # fix's title, and would write it into the file
    key = "nxk_live_7Hq2Zp9Lw4Rt8Vb6"
    served = schema.load_bundled()
    name = {"type": "string", "enum": ["shop", "https://r.example/?token=" + key]}
    served["$defs"]["application"]["properties"]["name"] = name
    served["$defs"]["application"]["properties"][key] = {"type": "string"}
    fake_api.script("/schema", fa.Reply(200, served))
    text = good_file.read_text(encoding="utf-8").replace("application:\n", f"application:\n  {key[:-1]}X: x\n", 1)
    good_file.write_text(text, encoding="utf-8")
    result = cli("--schema", f"{fake_api.url}/schema?token={key}", "--output-format", "json", str(good_file))
    (report,) = json.loads(result.output)["files"]
    found = {d["code"]: d for d in report["diagnostics"]}
    assert (
        "token=****" in found["NX104"]["message"] and key not in result.output and key[:12] + "..." not in result.output
    )
    assert "did you mean" in found["NX102"]["hint"] and found["NX102"]["fix"] is None


def test_hung_server_times_out(doc, fake_api, retry) -> None:
    fake_api.script("/validate", fa.hang(30))
    problem = only(remote(doc, fake_api, retry, timeout=0.5))
    assert "no complete response within the 0.5 s deadline" in problem.message
    assert fake_api.count() == 1  # a timeout is not retried


def test_timeout_is_total_not_per_read(doc, fake_api, retry) -> None:
    # Each byte arrives well within the timeout, the whole body does not.
    fake_api.script("/validate", fa.drip(0.2))
    problem = only(remote(doc, fake_api, retry, timeout=1.0))
    assert "no complete response within the 1 s deadline" in problem.message


# -- the deadline: --timeout bounds the whole request, however slowly the server answers ------

# Each of these servers keeps every single read quick: only a deadline for the whole request
# stops them (a header every half second took 50 s, a dripped status line forever).
SLOW_SERVERS = {
    "status line a byte at a time": fa.drip_status_line,
    "a header every half second": fa.drip_headers,
    "body a byte at a time": fa.drip,
    "no answer at all": fa.hang,
}
# The deadline and a margin for a busy machine: the point is seconds against minutes or forever.
WITHIN_1S_DEADLINE = 2.5


def _request_threads_end() -> bool:
    """The request threads are gone (a given-up request must not leave one reading forever)."""
    import threading

    for _ in range(100):
        if not any(t.name == "nexlayer-lint request" for t in threading.enumerate()):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("server", list(SLOW_SERVERS))
def test_validate_ends_at_the_deadline(doc, fake_api, retry, server) -> None:
    fake_api.script("/validate", SLOW_SERVERS[server]())
    started = time.monotonic()
    problem = only(remote(doc, fake_api, retry, timeout=1.0))
    assert time.monotonic() - started < WITHIN_1S_DEADLINE
    assert problem.message == (
        f"could not use {fake_api.url}/validate: no complete response within the 1 s "
        "deadline; only the local checks ran"
    )
    assert fake_api.count("/validate") == 1  # a deadline that passed is not retried
    assert _request_threads_end()


@pytest.mark.parametrize("server", list(SLOW_SERVERS))
def test_schema_get_ends_at_the_deadline(fake_api, retry, server) -> None:
    fake_api.script("/schema", SLOW_SERVERS[server]())
    started = time.monotonic()
    fetched = schema_cache.load_remote_schema(f"{fake_api.url}/schema", timeout=1.0, retry=retry)
    assert time.monotonic() - started < WITHIN_1S_DEADLINE
    assert fetched.schema is None
    assert fetched.warning == (
        f'could not fetch the schema from "{fake_api.url}/schema": no complete response '
        "within the 1 s deadline; using the bundled schema"
    )
    assert _request_threads_end()


def test_a_retry_that_would_end_after_the_deadline_is_not_made(doc, fake_api, retry, sleeps) -> None:
    fake_api.script("/validate", fa.status(503, retry_after="5"), fa.valid())
    problem = only(remote(doc, fake_api, retry, timeout=2.0))
    assert problem.message == (
        f"could not use {fake_api.url}/validate: HTTP 503 after 1 attempt; the 2 s deadline "
        "leaves no time to retry; only the local checks ran"
    )
    assert sleeps == [] and fake_api.count("/validate") == 1


def test_redirects_share_one_deadline(fake_api, retry) -> None:
    # five hops of 0.4 s each: within the redirect limit, not within the deadline
    fake_api.script("/schema", fa.Reply(302, b"", {"Location": "/schema"}, delay=0.4))
    started = time.monotonic()
    fetched = schema_cache.load_remote_schema(f"{fake_api.url}/schema", timeout=1.0, retry=retry)
    assert time.monotonic() - started < WITHIN_1S_DEADLINE
    assert "no complete response within the 1 s deadline" in fetched.warning
    assert fake_api.count("/schema") <= 3


@pytest.mark.parametrize(
    ("reply", "cause"),
    [
        (fa.garbage(), "the response is not valid JSON"),
        (fa.Reply(200, b"\xff\xfe{not utf8"), "the response is not valid JSON"),
        # hunt 245 F3: Python reads NaN and Infinity, which JSON has not: no acceptance
        (fa.Reply(200, b'{"message": "Nexlayer YAML file is valid.", "score": NaN}'), "the response is not valid"),
        (fa.Reply(200, b'{"valid": true, "score": -Infinity}'), "the response is not valid JSON"),
        (fa.Reply(200, [1, 2]), "unexpected response shape (not a JSON object)"),
        (fa.Reply(200, {"ok": True}), 'unexpected response shape (no "message")'),
        (fa.Reply(200, {"error": {"code": 1}}), "unexpected response shape for HTTP 200"),
        # hunt 61 F1: a 200 whose errors hold no text rejects nothing (it said "Validation passed")
        (fa.Reply(200, {"message": "Validation passed", "details": {"pods": 1}}), "unexpected response shape"),
        (fa.Reply(200, {"message": "ok", "errors": [None]}), "unexpected response shape"),
        (fa.Reply(200, {"errors": 5}), "unexpected response shape"),
        # hunt 62 F3, F4: a blank text is no text; a mapping in `details` beside no refusal is metadata
        (fa.Reply(200, {"errors": ["  "], "details": [{"message": ""}]}), "unexpected response shape"),
        (fa.Reply(200, {"message": "Configuration is valid", "details": {"requestId": "r-1"}}), "unexpected response"),
        # hunt 23: a wrapper that says the call failed is no acceptance
        (fa.Reply(200, {"success": False, "message": "Invalid API key"}), "success: false (Invalid API key)"),
        # hunt 25: an empty list of errors is no verdict either, nor is a `valid` that is a string
        (fa.Reply(200, {"success": False, "error": "Unauthorized", "errors": []}), "success: false (Unauthorized)"),
        (fa.Reply(200, {"success": False, "errors": [], "message": "Invalid API key"}), "success: false (Invalid"),
        (fa.Reply(200, {"valid": "false", "message": "ok"}), '"valid" is not true or false'),
        # hunt 123 F6: FastAPI's `detail` text is how it says a call failed, not a list of errors
        (fa.Reply(200, {"success": False, "detail": "Not authenticated"}), "success: false"),
        (fa.Reply(200, {"success": False, "error": "Up", "data": {"detail": "Internal"}}), "success: false (Up)"),
        (fa.Reply(200, {"success": False, "error": "Unauthorized", "detail": [{"id": 1}]}), "success: false (Unau"),
        # hunt 24: its `error` is why the call failed, not a verdict on the file
        (
            fa.Reply(200, {"success": False, "error": "Unauthorized", "message": "Invalid API key"}),
            "success: false (Unauthorized)",
        ),
        # hunt 279 F1: a body cut short of its Content-Length, though it parses, is no answer
        (
            fa.Reply(200, {"message": "Nexlayer YAML file is valid."}, missing=5000),
            "incomplete response (43 of 5,043 bytes)",
        ),
        (fa.oversized(), "response too large (over 5 MiB)"),
        (fa.oversized(declare_length=True), "response too large (5308416 bytes; the limit is 5 MiB)"),
        # a Content-Length int() refuses: Unicode digits, or more digits than it reads
        (fa.Reply(200, headers={"Content-Length": "²"}, stream=1), "the response is not valid JSON"),
        (fa.Reply(200, headers={"Content-Length": "9" * 5000}, stream=1), "response too large (999999"),
    ],
)
def test_bad_responses_are_failures(doc, fake_api, retry, reply, cause) -> None:
    fake_api.script("/validate", reply)
    problem = only(remote(doc, fake_api, retry))
    assert cause in problem.message


def test_redirect_to_another_host_is_not_followed(doc, fake_api, retry) -> None:
    fake_api.script("/validate", fa.redirect(f"http://localhost:{fake_api.port}/elsewhere", code=307))
    fake_api.script("/elsewhere", fa.valid())
    problem = only(remote(doc, fake_api, retry))
    assert "redirected to another host" in problem.message
    assert fake_api.count("/elsewhere") == 0


def test_a_long_redirect_target_is_cut_in_the_message(doc, fake_api, retry) -> None:
    # hunt 140 F4: a 60 KB Location made a 60 KB NX900, repeated for every later file
    fake_api.script("/validate", fa.redirect("https://other.example/" + "A" * 60_000, code=307))
    problem = only(remote(doc, fake_api, retry))
    assert ': redirected to https URL "https://other.example/AAA' in problem.message
    assert "…" in problem.message and len(problem.message) < 500


def test_redirect_to_another_scheme_is_not_followed(fake_api, retry) -> None:
    fake_api.script("/schema", fa.redirect(f"https://127.0.0.1:{fake_api.port}/schema"))
    fetched = schema_cache.load_remote_schema(f"{fake_api.url}/schema", retry=retry)
    assert fetched.schema is None and "redirected to https URL" in fetched.warning


@pytest.mark.parametrize("location", ["http://[::1", "http://[zz]/x"])
def test_redirect_to_an_unparseable_url_is_a_failure(fake_api, retry, location) -> None:
    fake_api.script("/schema", fa.redirect(location))
    fetched = schema_cache.load_remote_schema(f"{fake_api.url}/schema", retry=retry)
    assert fetched.schema is None and "redirected to an invalid URL" in fetched.warning


def test_same_host_redirect_is_followed(fake_api, retry) -> None:
    fake_api.script("/schema", fa.redirect("/v2/schema", code=301))
    fake_api.script("/v2/schema", fa.schema())
    fetched = schema_cache.load_remote_schema(f"{fake_api.url}/schema", retry=retry)
    assert fetched.schema == fa.SCHEMA and fetched.warning is None


def test_post_is_not_turned_into_a_get_by_a_redirect(doc, fake_api, retry) -> None:
    fake_api.script("/validate", fa.redirect("/v2/validate", code=302))
    assert "would turn the POST into a GET" in only(remote(doc, fake_api, retry)).message


def test_connection_refused(doc, fake_api, retry) -> None:
    with socket.socket() as s:  # a port that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    problem = only(
        remote_validate.validate_remote(doc, api_url=f"http://127.0.0.1:{port}", local_has_errors=False, retry=retry)
    )
    assert problem.message == (
        f"could not use http://127.0.0.1:{port}/validate: connection refused by 127.0.0.1; only the local checks ran"
    )


def test_no_credentials_in_messages(doc, fake_api, retry) -> None:
    fake_api.script("/validate", fa.status(500))
    url = f"http://user:hunter2pw@127.0.0.1:{fake_api.port}"
    problem = only(remote_validate.validate_remote(doc, api_url=url, local_has_errors=False, retry=retry))
    assert "hunter2pw" not in problem.message and "user:" not in problem.message
    fake_api.script("/schema", fa.status(500))
    fetched = schema_cache.load_remote_schema(f"{url}/schema?token=t0ps3cret", retry=retry)
    assert "hunter2pw" not in fetched.warning and "t0ps3cret" not in fetched.warning
    assert f"http://127.0.0.1:{fake_api.port}/schema" in fetched.warning


# -- GET /schema and the cache ----------------------------------------------------------------


def test_first_fetch_then_fresh_hit_without_a_request(fake_api, retry) -> None:
    fake_api.script("/schema", fa.schema())
    url = f"{fake_api.url}/schema"
    first = schema_cache.load_remote_schema(url, retry=retry)
    assert first.schema == fa.SCHEMA and first.warning is None and first.note is None
    assert first.info.source == "url" and first.info.location == url and first.info.version == "fake-1"
    path = schema_cache.cached_schema_path(url, create=True)
    assert path.parent == schema_cache.cache_dir()
    assert first.info.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert json.loads(path.read_bytes()) == fa.SCHEMA  # the schema as served, usable by other tools
    assert fake_api.requests[0].headers["user-agent"] == f"nexlayer-lint/{__version__}"

    second = schema_cache.load_remote_schema(url, retry=retry)
    assert fake_api.count("/schema") == 1  # fresh: no request at all
    assert second.schema == fa.SCHEMA and second.info.source == "cache"
    # hunt 59 F5: named by its URL, as the reports say (the cache file was named)
    assert second.info.location == url and second.info.sha256 == first.info.sha256


def test_stale_cache_is_revalidated_with_304(fake_api, retry) -> None:
    fake_api.script("/schema", fa.schema(etag='"abc"', last_modified="Wed, 21 Oct 2015 07:28:00 GMT"))
    url = f"{fake_api.url}/schema"
    schema_cache.load_remote_schema(url, retry=retry)
    meta = schema_cache.meta_path(url, create=True)
    before = json.loads(meta.read_text())["fetched_at"]
    again = schema_cache.load_remote_schema(url, ttl_hours=0, retry=retry)
    assert fake_api.count("/schema") == 2
    conditional = fake_api.requests[1].headers
    assert conditional["if-none-match"] == '"abc"'
    assert conditional["if-modified-since"] == "Wed, 21 Oct 2015 07:28:00 GMT"
    assert again.schema == fa.SCHEMA and again.warning is None
    assert json.loads(meta.read_text())["fetched_at"] >= before  # fresh again for another TTL
    assert schema_cache.load_remote_schema(url, retry=retry).info.source == "cache"
    assert fake_api.count("/schema") == 2


def test_last_modified_only_revalidation(fake_api, retry) -> None:
    fake_api.script("/schema", fa.schema(etag=None, last_modified="Wed, 21 Oct 2015 07:28:00 GMT"))
    url = f"{fake_api.url}/schema"
    schema_cache.load_remote_schema(url, retry=retry)
    again = schema_cache.load_remote_schema(url, ttl_hours=0, retry=retry)
    assert fake_api.count("/schema") == 2 and "if-none-match" not in fake_api.requests[1].headers
    assert again.schema == fa.SCHEMA


def test_changed_schema_replaces_the_cache(fake_api, retry) -> None:
    newer = {**fa.SCHEMA, "version": "fake-2"}
    fake_api.script("/schema", fa.schema(etag='"1"'))
    url = f"{fake_api.url}/schema"
    schema_cache.load_remote_schema(url, retry=retry)
    fake_api.script("/schema", fa.schema(newer, etag='"2"'))
    fetched = schema_cache.load_remote_schema(url, ttl_hours=0, retry=retry)
    assert fetched.info.version == "fake-2"
    assert json.loads(schema_cache.cached_schema_path(url, create=True).read_text())["version"] == "fake-2"


def test_wrapped_schema_response_is_unwrapped(fake_api, retry) -> None:
    fake_api.script("/schema", fa.Reply(200, {"data": {"schema": fa.SCHEMA, "version": "2.3"}}))
    fetched = schema_cache.load_remote_schema(f"{fake_api.url}/schema", retry=retry)
    assert fetched.schema == fa.SCHEMA and fetched.info.version == "2.3"


def test_a_wrapped_schema_with_an_infinite_number_is_used_and_not_cached(fake_api, retry) -> None:
    # hunt 203 F1: written out again, `1e400` (an infinite float) became `Infinity`, no JSON: every
    # later run said the cache was unreadable; hunt 204 F2: the cache holds the schema itself, which
    # `schema path` gives editors, so such a schema is not cached, and the run says why
    wrapped = json.dumps({"data": {"schema": fa.SCHEMA, "version": "2.3"}})
    served = wrapped.replace('"type": "object"', '"maximum": 1e400, "type": "object"', 1)
    fake_api.script("/schema", fa.Reply(200, served.encode("utf-8")), fa.Reply(200, wrapped.encode("utf-8")))
    url = f"{fake_api.url}/schema"
    first = schema_cache.load_remote_schema(url, retry=retry)
    assert first.warning is None and first.schema["maximum"] == float("inf") and first.info.version == "2.3"
    assert first.note == (
        f'did not cache the schema from "{url}": it holds a number JSON reads as infinite, which cannot be '
        "written back; it will be fetched again next run"
    )
    assert schema_cache.cached_schema_path(url) is None or not schema_cache.cached_schema_path(url).exists()
    second = schema_cache.load_remote_schema(url, retry=retry)  # fetched again: the plain one is cached
    assert second.note is None and json.loads(schema_cache.cached_schema_path(url).read_text()) == fa.SCHEMA


def test_a_wrapped_schema_without_a_version_is_cached_unwrapped(fake_api, retry) -> None:
    # hunt 205 F3: only a wrapper with a version was unwrapped for the cache; the next run from the
    # cache found the wrapper, no schema
    fake_api.script("/schema", fa.Reply(200, {"data": {"schema": fa.SCHEMA}}), fa.status(503))
    url = f"{fake_api.url}/schema"
    schema_cache.load_remote_schema(url, retry=retry)
    assert json.loads(schema_cache.cached_schema_path(url).read_text()) == fa.SCHEMA
    again = schema_cache.load_remote_schema(url, ttl_hours=0, retry=retry)
    assert again.schema == fa.SCHEMA and again.info.source == "cache"


def test_offline_uses_the_stale_cache(fake_api, retry) -> None:
    fake_api.script("/schema", fa.schema())
    url = f"{fake_api.url}/schema"
    schema_cache.load_remote_schema(url, retry=retry)
    fake_api.script("/schema", fa.status(502))
    fetched = schema_cache.load_remote_schema(url, ttl_hours=0, retry=retry)
    assert fetched.schema == fa.SCHEMA and fetched.info.source == "cache"
    assert fetched.warning.startswith(
        f'could not fetch the schema from "{url}": HTTP 502 after 4 attempts; using the cached copy fetched '
    )


def test_offline_without_cache_falls_back_to_bundled(fake_api, retry) -> None:
    fake_api.script("/schema", fa.hang())
    fetched = schema_cache.load_remote_schema(f"{fake_api.url}/schema", timeout=0.3, retry=retry)
    assert fetched.schema is None and fetched.info is None
    assert fetched.warning == (
        f'could not fetch the schema from "{fake_api.url}/schema": no complete response '
        "within the 0.3 s deadline; using the bundled schema"
    )


def test_schema_failing_the_metaschema_is_rejected(fake_api, retry) -> None:
    fake_api.script("/schema", fa.bad_metaschema())
    url = f"{fake_api.url}/schema"
    fetched = schema_cache.load_remote_schema(url, retry=retry)
    assert fetched.schema is None
    assert "not a usable schema: not a valid JSON Schema" in fetched.warning and "(at /type," in fetched.warning
    assert not schema_cache.cached_schema_path(url, create=True).exists()  # never written


@pytest.mark.parametrize(
    "answer",
    [{}, {"type": "object"}, {"$schema": "https://json-schema.org/draft/2020-12/schema"}, {"properties": {"app": {}}}],
)
def test_a_schema_that_says_nothing_of_application_is_refused(cli, fake_api, tmp_path, answer) -> None:
    # A lying or broken server answering `{}` must not switch the schema step off: every file
    # would pass it. The bundled schema is used instead, and NX900 says why.
    text = "application:\n  name: Bad Name\n  pods:\n    - name: web\n      image: nginx:1\n      path: /\n"
    found = refused_schema_findings(cli, fake_api, tmp_path, answer, text)
    why = 'it does not describe "application", the top-level key of every Nexlayer file'
    assert found[0] == ("NX900", f"{cannot_use(fake_api)}{why}; using the bundled schema")
    assert [code for code, _ in found[1:]] == ["NX104", "NX101"]  # the name (line 2), servicePorts missing


def refused_schema_findings(cli, fake_api, tmp_path, answer, text: str) -> list[tuple[str, str]]:
    """The findings of a file linted with `--schema remote` when the API serves `answer`, which
    must be refused: the bundled schema used instead, and nothing cached."""
    fake_api.script("/schema", fa.Reply(200, answer))
    path = tmp_path / "nexlayer.yaml"
    path.write_text(text)
    result = cli("--schema", "remote", "--api-url", fake_api.url, "--format", "json", str(path))
    report = json.loads(result.output)
    assert report["schema"]["source"] == "bundled" and result.exit_code == 1
    assert not schema_cache.cached_schema_path(f"{fake_api.url}/schema", create=True).exists()  # never cached
    return [(d["code"], d["message"]) for d in report["files"][0]["diagnostics"]]


def cannot_use(fake_api) -> str:
    return f'could not fetch the schema from "{fake_api.url}/schema": the response is not a usable schema: '


# hunt 21 F6: a schema that names `application` but holds nothing to it passed the check, was
# cached, and every file then passed the schema step; each is tried on files first
WEAK_SCHEMAS = {
    "application: true": ({"properties": {"application": True}}, "it accepts a file without application"),
    "application: {}": (
        {"type": "object", "required": ["application"], "properties": {"application": {}}},
        "it accepts an application that is not a mapping",
    ),
    "no name or pods required": (
        {"required": ["application"], "properties": {"application": {"type": "object"}}},
        "it accepts an application without name or pods",
    ),
    "pods of any type": (
        {
            "required": ["application"],
            "properties": {"application": {"type": "object", "required": ["name", "pods"]}},
        },
        "it accepts pods that are not a list",
    ),
    "pods without images": (
        {
            "required": ["application"],
            "properties": {
                "application": {
                    "type": "object",
                    "required": ["name", "pods"],
                    "properties": {"pods": {"type": "array"}},
                }
            },
        },
        "it accepts a pod without an image",
    ),
    "refuses everything": (
        {"required": ["application"], "properties": {"application": False}},
        'it refuses a minimal valid file ({"application": {"name": "shop", "pods": [{"name": "web", "image": '
        '"nginx:1.27", "path": "/", "servicePorts": [80]}]}})',
    ),
}


@pytest.mark.parametrize("name", sorted(WEAK_SCHEMAS))
def test_a_schema_that_holds_nothing_to_the_file_is_refused(cli, fake_api, tmp_path, name) -> None:
    answer, why = WEAK_SCHEMAS[name]
    # errors only a real schema finds: the app's name, servicePorts missing, the pod's name
    text = "application:\n  name: Shop\n  pods:\n    - name: We.b\n      image: nginx:1.27\n      path: /\n"
    found = refused_schema_findings(cli, fake_api, tmp_path, answer, text)
    because = f"{why}{', which no Nexlayer schema does' if 'accepts' in why else ''}"
    assert found[0] == ("NX900", f"{cannot_use(fake_api)}{because}; using the bundled schema")
    assert [code for code, _ in found[1:]] == ["NX104", "NX101", "NX104"]


def test_a_schema_reaching_application_through_a_ref_or_allof_is_used(fake_api, retry) -> None:
    application = fa.SCHEMA["properties"]["application"]
    by_ref = {"$ref": "#/$defs/File", "$defs": {"File": {**fa.SCHEMA, "properties": {"application": application}}}}
    by_all_of = {
        "allOf": [{"type": "object"}, {"required": ["application"], "properties": {"application": application}}]
    }
    for answer in (by_ref, by_all_of):
        fake_api.script("/schema", fa.Reply(200, answer, {"ETag": None}))
        fetched = schema_cache.refresh_schema(f"{fake_api.url}/schema", retry=retry)
        assert fetched.schema == answer and fetched.warning is None


def test_schema_with_a_pattern_that_could_hang_is_refused_before_it_is_cached(fake_api, retry) -> None:
    # Cached, it would be used for a day: it must be judged as a --schema file is, before the write.
    hostile = {**fa.SCHEMA, "properties": {"application": {"type": "string", "pattern": "^(a+)+$"}}}
    fake_api.script("/schema", fa.Reply(200, hostile))
    url = f"{fake_api.url}/schema"
    fetched = schema_cache.load_remote_schema(url, retry=retry)
    assert fetched.schema is None
    assert 'the pattern "^(a+)+$" at /properties/application/pattern is refused' in fetched.warning
    assert not schema_cache.cached_schema_path(url, create=True).exists()


def test_schema_with_a_remote_ref_is_rejected(fake_api, retry) -> None:
    hostile = {**fa.SCHEMA, "properties": {"application": {"$ref": "https://evil.example/s.json"}}}
    fake_api.script("/schema", fa.Reply(200, hostile))
    fetched = schema_cache.load_remote_schema(f"{fake_api.url}/schema", retry=retry)
    assert fetched.schema is None and '$ref to "https://evil.example/s.json"' in fetched.warning


@pytest.mark.parametrize(
    ("ref", "reason"),
    [
        ("#/allOf/²", "does not resolve inside the schema"),  # referencing's int() refuses it
        ("#/allOf/" + "1" * 5000, "does not resolve inside the schema"),
        ("#/allOf/0", """$ref "#/allOf/0" loops: the schema's $refs lead from it back to it"""),
    ],
)
def test_a_schema_url_with_a_bad_ref_is_nx900_and_the_bundled_schema(cli, fake_api, good_file, ref, reason) -> None:
    fake_api.script("/s.json", fa.Reply(200, {**fa.SCHEMA, "allOf": [{"$ref": ref}]}))
    result = cli("--schema", f"{fake_api.url}/s.json", "--format", "json", str(good_file))
    report = json.loads(result.output)
    assert report["schema"]["source"] == "bundled"
    [diag] = report["files"][0]["diagnostics"]
    assert diag["code"] == "NX900" and reason in diag["message"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "it is not valid JSON"),
        (b"[1, 2]", "it is not a JSON object"),
        (json.dumps({"type": 12}).encode(), "not a valid JSON Schema"),
        (json.dumps({"$ref": "file:///etc/passwd"}).encode(), '$ref to "file:///etc/passwd"'),
        (b"[" * 100_000, "it is not valid JSON"),
        (b'{"type": "object", "maximum": NaN}', "it is not valid JSON"),  # hunt 101 F3: Python reads NaN
    ],
)
def test_corrupt_cache_is_ignored_and_replaced(fake_api, retry, content, reason) -> None:
    url = f"{fake_api.url}/schema"
    path = schema_cache.cached_schema_path(url, create=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    fake_api.script("/schema", fa.schema())
    fetched = schema_cache.load_remote_schema(url, retry=retry)
    assert fetched.schema == fa.SCHEMA
    assert fetched.warning.startswith(f'ignored the cached schema "{path}": ') and reason in fetched.warning
    assert json.loads(path.read_bytes()) == fa.SCHEMA  # replaced by the good copy


def test_corrupt_cache_and_offline(fake_api, retry) -> None:
    url = f"{fake_api.url}/schema"
    path = schema_cache.cached_schema_path(url, create=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"garbage")
    fake_api.script("/schema", fa.status(500))
    fetched = schema_cache.load_remote_schema(url, retry=retry)
    assert fetched.schema is None
    assert "HTTP 500 after 4 attempts" in fetched.warning and "it is not valid JSON" in fetched.warning
    assert fetched.warning.endswith("; using the bundled schema")


def test_cache_symlink_is_neither_read_nor_written_through(fake_api, retry, tmp_path) -> None:
    url = f"{fake_api.url}/schema"
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps(fa.SCHEMA))
    path = schema_cache.cached_schema_path(url, create=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(outside)
    fake_api.script("/schema", fa.schema({**fa.SCHEMA, "version": "fresh"}))
    fetched = schema_cache.load_remote_schema(url, retry=retry)
    assert "it is a symbolic link" in fetched.warning and fetched.info.version == "fresh"
    assert json.loads(outside.read_text())["version"] == "fake-1"  # the target is untouched
    assert not path.is_symlink() and json.loads(path.read_text())["version"] == "fresh"


def test_a_fifo_in_the_cache_is_neither_waited_on_nor_read(fake_api, retry) -> None:
    # hunt 23: opening a FIFO for reading blocks until a writer comes; the run hung
    url = f"{fake_api.url}/schema"
    folder = schema_cache.cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    os.mkfifo(folder / "cache-key")
    fake_api.script("/schema", fa.schema({**fa.SCHEMA, "version": "fresh"}))
    done: list = []
    worker = threading.Thread(
        target=lambda: done.append(schema_cache.load_remote_schema(url, retry=retry)), daemon=True
    )
    worker.start()
    worker.join(30)
    assert done, "the run waited on the FIFO"
    (fetched,) = done
    assert fetched.info.version == "fresh"
    assert (folder / "cache-key").is_file()  # a new key, written in its place
    path = schema_cache.cached_schema_path(url)
    path.unlink()
    os.mkfifo(path)
    fetched = schema_cache.load_remote_schema(url, retry=retry)
    assert "it is not a regular file" in fetched.warning and fetched.info.version == "fresh"


def test_meta_for_another_file_is_ignored(fake_api, retry) -> None:
    # Two processes' writes can interleave: a meta file whose digest does not match is not trusted.
    fake_api.script("/schema", fa.schema())
    url = f"{fake_api.url}/schema"
    schema_cache.load_remote_schema(url, retry=retry)
    meta = schema_cache.meta_path(url, create=True)
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "sha256": "0" * 64}))
    fetched = schema_cache.load_remote_schema(url, retry=retry)
    assert fake_api.count("/schema") == 2 and "if-none-match" not in fake_api.requests[1].headers
    assert fetched.schema == fa.SCHEMA


def _tamper_meta(url: str, **changes) -> None:
    meta = schema_cache.meta_path(url, create=True)
    meta.write_text(json.dumps({**json.loads(meta.read_text()), **changes}))


# 10**400: past float's range, math.isfinite raised OverflowError (hunt 74 F1)
@pytest.mark.parametrize(
    "fetched_at", [1e300, float("nan"), float("inf"), -5, "yesterday", True, None, [1], 1e12, 10**400]
)
def test_a_fetch_time_no_clock_gives_makes_the_copy_stale(fake_api, retry, fetched_at) -> None:
    fake_api.script("/schema", fa.schema())
    url = f"{fake_api.url}/schema"
    schema_cache.load_remote_schema(url, retry=retry)
    _tamper_meta(url, fetched_at=fetched_at)  # json writes NaN and Infinity as Python reads them back
    fetched = schema_cache.load_remote_schema(url, retry=retry)
    assert fake_api.count("/schema") == 2  # not fresh: asked again, conditionally
    assert fake_api.requests[1].headers["if-none-match"] == '"v1"'
    assert fetched.schema == fa.SCHEMA and fetched.warning is None
    assert schema_cache.load_remote_schema(url, retry=retry).info.source == "cache"  # fresh again


@pytest.mark.parametrize("fetched_at", [1e300, float("nan"), -1e300, "x"])
def test_a_bad_fetch_time_with_the_server_down_still_uses_the_copy(fake_api, retry, fetched_at) -> None:
    fake_api.script("/schema", fa.schema())
    url = f"{fake_api.url}/schema"
    schema_cache.load_remote_schema(url, retry=retry)
    _tamper_meta(url, fetched_at=fetched_at)
    fake_api.script("/schema", fa.status(500))
    fetched = schema_cache.load_remote_schema(url, retry=retry)
    assert fetched.schema == fa.SCHEMA and fetched.info.source == "cache"
    assert fetched.warning.endswith("HTTP 500 after 4 attempts; using the cached copy")  # no date to give


@pytest.mark.parametrize("field", ["etag", "last_modified"])
@pytest.mark.parametrize("value", ['"v1"\r\nX-Injected: 1', '"v1"\nX-Injected: 1', '"v1"\x00', "é", "x" * 2000, 5, ""])
def test_validators_that_are_not_plain_header_text_are_never_sent(fake_api, retry, field, value) -> None:
    fake_api.script("/schema", fa.schema(etag='"v1"', last_modified="Wed, 21 Oct 2015 07:28:00 GMT"))
    url = f"{fake_api.url}/schema"
    schema_cache.load_remote_schema(url, retry=retry)
    _tamper_meta(url, **{field: value})
    fetched = schema_cache.load_remote_schema(url, ttl_hours=0, retry=retry)
    assert fetched.schema == fa.SCHEMA and fetched.warning is None
    sent = fake_api.requests[1].headers
    assert "x-injected" not in sent
    header = "if-none-match" if field == "etag" else "if-modified-since"
    assert header not in sent  # the bad one is left out; the other validator still goes
    assert len(sent) == len(fake_api.requests[0].headers) + 1


@pytest.mark.parametrize("field", ["etag", "last_modified"])
@pytest.mark.parametrize("value", ['"v1"\r\nX-Injected: 1', ["v1"], ""])
def test_a_validator_we_would_not_have_written_makes_a_fresh_copy_stale(fake_api, retry, field, value) -> None:
    # hunt 74 F3: the copy stayed in use for its whole TTL, as the README says it must not
    fake_api.script("/schema", fa.schema(etag='"v1"', last_modified="Wed, 21 Oct 2015 07:28:00 GMT"))
    url = f"{fake_api.url}/schema"
    schema_cache.load_remote_schema(url, retry=retry)
    _tamper_meta(url, **{field: value})
    assert schema_cache.load_remote_schema(url, retry=retry).info.source != "cache"
    assert fake_api.count("/schema") == 2 and "x-injected" not in fake_api.requests[1].headers
    assert schema_cache.load_remote_schema(url, retry=retry).info.source == "cache"  # its own metadata again


def test_a_folded_etag_from_the_server_is_not_kept(fake_api, retry) -> None:
    # An obsolete line folding puts a line break inside the value: it must never be sent back.
    fake_api.script("/schema", fa.schema(etag='"v1"\r\n X-Injected: 1'))
    url = f"{fake_api.url}/schema"
    fetched = schema_cache.load_remote_schema(url, retry=retry)
    assert fetched.schema == fa.SCHEMA
    assert json.loads(schema_cache.meta_path(url, create=True).read_text())["etag"] is None
    schema_cache.load_remote_schema(url, ttl_hours=0, retry=retry)
    assert "if-none-match" not in fake_api.requests[1].headers


def test_a_header_with_a_line_break_is_refused_before_sending(fake_api, retry) -> None:
    with pytest.raises(http_client.RequestError, match="refusing to send the X-Test header"):
        http_client.request("GET", f"{fake_api.url}/schema", headers={"X-Test": "a\r\nb: c"}, retry=retry)
    assert fake_api.count() == 0


def test_cache_not_writable_still_uses_the_schema(fake_api, retry, monkeypatch, tmp_path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")  # a file where the cache directory's parent should be (works as root too)
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    fake_api.script("/schema", fa.schema())
    fetched = schema_cache.load_remote_schema(f"{fake_api.url}/schema", retry=retry)
    assert fetched.schema == fa.SCHEMA and fetched.warning is None
    assert fetched.note.startswith(f'could not write the schema cache in "{blocker / "nexlayer-lint"}"')
    assert fetched.note.endswith("it will be fetched again next run")


def test_refresh_always_asks(fake_api, retry) -> None:
    fake_api.script("/schema", fa.schema())
    url = f"{fake_api.url}/schema"
    schema_cache.load_remote_schema(url, retry=retry)
    refreshed = schema_cache.refresh_schema(url, retry=retry)
    assert fake_api.count("/schema") == 2 and fake_api.requests[1].headers["if-none-match"] == '"v1"'
    assert refreshed.schema == fa.SCHEMA and refreshed.info.source == "url"


def test_ten_processes_refreshing_at_once_leave_a_valid_file(fake_api, tmp_path) -> None:
    counter = iter(range(1000))

    def slow_changing_schema(request: fa.Recorded) -> fa.Reply:
        # Large, different bodies so that writes overlap and differ.
        n = next(counter)
        body = {**fa.SCHEMA, "version": f"v{n}", "description": "x" * 400_000}
        return fa.Reply(200, body, {"ETag": f'"{n}"'}, delay=0.05)

    fake_api.script("/schema", slow_changing_schema)
    url = f"{fake_api.url}/schema"
    script = textwrap.dedent(f"""
        from nexlayer_lint import http_client, remote_validate, schema_cache
        result = schema_cache.refresh_schema({url!r})
        assert result.schema is not None and result.note is None, (result.warning, result.note)
    """)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    procs = [subprocess.Popen([sys.executable, "-c", script], env=env, stderr=subprocess.PIPE) for _ in range(10)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    assert fake_api.count("/schema") == 10
    path = schema_cache.cached_schema_path(url, create=True)
    assert schema_cache.schema_problem(json.loads(path.read_bytes())) is None
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".tmp-")] == []  # no debris
    cached = schema_cache.load_remote_schema(url)
    assert cached.schema is not None and cached.warning is None


# -- end to end: the CLI and the engine -------------------------------------------

GOOD = (Path(__file__).resolve().parents[1] / "examples" / "good" / "nexlayer.yaml").read_text()


@pytest.fixture
def cli(monkeypatch, sleeps):
    """Run the CLI in-process; retries do not really sleep, and the per-process schema choice is reset."""
    from click.testing import CliRunner

    from nexlayer_lint import engine
    from nexlayer_lint.cli import main

    monkeypatch.setattr(http_client, "DEFAULT_RETRY", http_client.RetryPolicy(sleep=sleeps.append, rand=lambda: 0.5))
    engine._choose_schema.cache_clear()

    def run(*args: str):
        return CliRunner().invoke(main, list(args))

    yield run
    engine._choose_schema.cache_clear()


@pytest.fixture
def good_file(tmp_path) -> Path:
    path = tmp_path / "nexlayer.yaml"
    path.write_text(GOOD)
    return path


def test_cli_remote_rejection_at_the_detail_line(cli, fake_api, good_file) -> None:
    fake_api.script("/validate", fa.invalid({"path": "application.pods[1].image", "message": "Image not allowed"}))
    result = cli("--remote", "--api-url", fake_api.url, str(good_file))
    assert result.exit_code == 1
    assert (
        f'{good_file}:13:14: error NX901 the Nexlayer API rejected "application.pods[1].image": '
        '"Image not allowed" [remote-rejected]'
    ) in result.output
    assert f"{good_file}:1:1: warning NX902 the Nexlayer API rejected the file" in result.output
    assert fake_api.count("/validate", "POST") == 1


def test_offline_uses_no_network_whatever_the_config_asks(cli, fake_api, good_file) -> None:
    # hunt 81 F4: the offline pre-commit hook asked the API when the repository's config said so
    fake_api.script("/validate", fa.valid())
    fake_api.script("/schema", fa.schema())
    config = f'remote = true\nschema = "remote"\napi-url = "{fake_api.url}"\n'
    (good_file.parent / ".nexlayer-lint.toml").write_text(config, encoding="utf-8")
    assert cli(str(good_file)).exit_code == 0 and fake_api.count() == 2  # the config's GET and POST
    result = cli("--offline", "--format", "json", str(good_file))
    assert result.exit_code == 0 and fake_api.count() == 2, result.output  # none more
    assert json.loads(result.stdout)["schema"]["source"] == "bundled"
    for asks in (["--remote"], ["--schema", "remote"], ["--remote-send-secrets"]):
        result = cli("--offline", *asks, str(good_file))
        assert result.exit_code == 2 and "--offline uses no network" in result.output


def test_cli_remote_confirms_and_uses_env_api_url(cli, fake_api, good_file, monkeypatch) -> None:
    monkeypatch.setenv("NEXLAYER_API_URL", fake_api.url)
    fake_api.script("/validate", fa.valid())
    result = cli("--remote", str(good_file))
    assert result.exit_code == 0 and "NX9" not in result.output
    assert fake_api.count("/validate") == 1


def test_cli_remote_failure_is_a_warning_that_does_not_fail(cli, fake_api, good_file, sleeps) -> None:
    fake_api.script("/validate", fa.status(503))
    result = cli("--remote", "--api-url", fake_api.url, "--timeout", "2", str(good_file))
    assert result.exit_code == 0
    assert (
        f"{good_file}:1:1: warning NX900 could not use {fake_api.url}/validate: HTTP 503 after 4 attempts; "
        "only the local checks ran [remote-unavailable]"
    ) in result.output
    assert len(sleeps) == 3
    assert cli("--remote", "--api-url", fake_api.url, "--fail-on", "warning", str(good_file)).exit_code == 1


def test_cli_remote_asks_again_after_an_answer_about_one_file(cli, fake_api, good_file) -> None:
    # an answer (here a 404) is about the file sent: the next file is asked again
    fake_api.script("/validate", fa.status(404))
    other = good_file.parent / "b" / "nexlayer.yaml"
    other.parent.mkdir()
    other.write_text(good_file.read_text())
    cli("--remote", "--api-url", fake_api.url, str(good_file), str(other))
    assert fake_api.count("/validate") == 2


def test_cli_remote_asks_no_more_after_a_failure_in_the_run(cli, fake_api, good_file, sleeps) -> None:
    # hunt 101 F5: each file waited out its own deadline behind an API that is down (100 files, 100 x 10 s)
    fake_api.script("/validate", fa.status(503))
    others = [good_file.parent / name / "nexlayer.yaml" for name in ("b", "c")]
    for other in others:
        other.parent.mkdir()
        other.write_text(good_file.read_text())
    result = cli("--remote", "--api-url", fake_api.url, "--no-show-source", str(good_file), *map(str, others))
    assert result.exit_code == 0 and fake_api.count("/validate") == 4  # one file's attempts
    warnings = [line for line in result.output.splitlines() if "NX900" in line]
    assert len(warnings) == 3
    assert warnings[1].endswith(
        f"could not use {fake_api.url}/validate: HTTP 503 after 4 attempts (earlier in this run; "
        "not asked again); only the local checks ran [remote-unavailable]"
    )
    # hunt 116 F3: and each folder with a config of its own (a Linter each) waited out its own
    for other in others:
        (other.parent / ".nexlayer-lint.toml").write_text('ignore = ["NX215"]\n')
    result = cli("--remote", "--api-url", fake_api.url, "--no-show-source", str(good_file), *map(str, others))
    assert result.exit_code == 0 and fake_api.count("/validate") == 8  # one more file's attempts, not three
    assert sum("NX900" in line for line in result.output.splitlines()) == 3


def test_a_runs_linters_share_the_memory_of_an_api_found_down(fake_api, good_file, sleeps) -> None:
    # hunt 116 F3: one Linter a config folder, each with its own memory; hunt 117 F6: and by the
    # URL asked, so `h` and `h/` are one API; hunt 118 F7: as it is asked, user-info left out
    from nexlayer_lint.config import Settings
    from nexlayer_lint.engine import Linter

    fake_api.script("/validate", fa.status(503))
    down: dict[str, object] = {}
    with_user = fake_api.url.replace("http://", "http://ci:x@")
    for api_url in (fake_api.url, fake_api.url + "/", with_user, fake_api.url):
        linter = Linter(Settings(remote=True, api_url=api_url), endpoints=down)
        assert "NX900" in {d.code for d in linter.lint(good_file.read_bytes(), str(good_file)).diagnostics}
    assert fake_api.count("/validate") == 4  # the first file's attempts only


def test_cli_remote_timeout_option(cli, fake_api, good_file) -> None:
    fake_api.script("/validate", fa.hang())
    result = cli("--remote", "--api-url", fake_api.url, "--timeout", "0.5", str(good_file))
    assert "no complete response within the 0.5 s deadline" in result.output and result.exit_code == 0


def test_cli_remote_ends_at_the_deadline_with_nx900(cli, fake_api, good_file) -> None:
    fake_api.script("/validate", fa.drip_headers())
    started = time.monotonic()
    result = cli("--remote", "--api-url", fake_api.url, "--timeout", "1", str(good_file))
    assert time.monotonic() - started < WITHIN_1S_DEADLINE
    assert result.exit_code == 0 and not isinstance(result.exception, Exception)  # no traceback
    assert (
        f"{good_file}:1:1: warning NX900 could not use {fake_api.url}/validate: no complete response within "
        "the 1 s deadline; only the local checks ran [remote-unavailable]"
    ) in result.output


def test_cli_schema_remote_ends_at_the_deadline_with_nx900(cli, fake_api, good_file) -> None:
    fake_api.script("/schema", fa.drip_status_line())
    started = time.monotonic()
    result = cli("--schema", "remote", "--api-url", fake_api.url, "--timeout", "1", "--format", "json", str(good_file))
    assert time.monotonic() - started < WITHIN_1S_DEADLINE
    assert result.exit_code == 0 and not isinstance(result.exception, Exception)
    report = json.loads(result.output)
    assert report["schema"]["source"] == "bundled"
    assert [d["message"] for d in report["files"][0]["diagnostics"]] == [
        f'could not fetch the schema from "{fake_api.url}/schema": no complete response within the 1 s deadline; '
        "using the bundled schema"
    ]


def test_cli_schema_fetch_ends_at_the_deadline_with_exit_2(cli, fake_api) -> None:
    fake_api.script("/schema", fa.drip_headers())
    started = time.monotonic()
    result = cli("schema", "fetch", "--api-url", fake_api.url, "--timeout", "1")
    assert time.monotonic() - started < WITHIN_1S_DEADLINE
    assert result.exit_code == 2 and not isinstance(result.exception, Exception)
    assert "no complete response within the 1 s deadline" in result.output


def test_the_process_ends_at_the_deadline_without_a_traceback(fake_api, good_file, tmp_path) -> None:
    # The real command: the given-up request's thread must not keep the process alive either.
    fake_api.script("/validate", fa.drip_status_line())
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "nexlayer_lint",
            "--remote",
            "--api-url",
            fake_api.url,
            "--timeout",
            "1",
            str(good_file),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert time.monotonic() - started < 10  # the interpreter's start-up on a busy machine, and the deadline
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert "no complete response within the 1 s deadline" in done.stdout


def test_cli_remote_send_secrets(cli, fake_api, tmp_path) -> None:
    path = tmp_path / "nexlayer.yaml"
    path.write_text(DOC)
    fake_api.script("/validate", fa.valid())
    cli("--remote", "--api-url", fake_api.url, str(path))
    cli("--remote", "--remote-send-secrets", "--api-url", fake_api.url, str(path))
    redacted, sent = (r.body.decode() for r in fake_api.requests)
    assert "hunter2-literal" not in redacted and "hunter2-literal" in sent


def test_a_reply_quoting_an_earlier_files_secret_sent_with_it_shows_it_starred(cli, fake_api, tmp_path) -> None:
    # hunt 203 F3: each reply was scrubbed of its own file's secrets only
    first, second = tmp_path / "a" / "nexlayer.yaml", tmp_path / "b" / "nexlayer.yaml"
    for path, password in ((first, "CnryFirstFilePw9"), (second, "CnrySecondFilePw8")):
        path.parent.mkdir()
        path.write_text(DOC.replace("hunter2-literal", password))
    quoting = {"path": "application.name", "message": "taken (DB_PASSWORD=CnryFirstFilePw9)"}
    fake_api.script("/validate", fa.invalid(quoting), fa.invalid(quoting))
    result = cli("--remote", "--remote-send-secrets", "--api-url", fake_api.url, str(first), str(second))
    assert "CnryFirstFilePw9" not in result.output and result.output.count("(DB_PASSWORD=****)") == 2, result.output


def test_an_endpoint_keeps_the_secrets_sent_in_a_logarithmic_number_of_groups() -> None:
    # hunt 204 F3: one scrubber rebuilt over every earlier file's secrets made a run quadratic
    from nexlayer_lint.remote_validate import Endpoint

    endpoint = Endpoint()
    for number in range(1000):
        endpoint.remember({f"CnrySent{number:04d}Pw"})
    assert len(endpoint._sent) <= 10 and sum(len(group) for group, _ in endpoint._sent) == 1000
    assert endpoint.scrub("was CnrySent0000Pw, CnrySent0999Pw and CnrySent0500Pw") == "was ****, **** and ****"
    # two tokens of one start in two groups: one group's echo of the start hides no part of the other only
    header = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
    first, second = f"{header}.eyJzdWIiOiJhIn0.CnryAAAAAAAAAAAA", f"{header}.eyJzdWIiOiJiIn0.CnryBBBBBBBBBBBB"
    endpoint = Endpoint()
    endpoint.remember({first})
    endpoint.remember({"CnryOther1"})
    endpoint.remember({second})
    assert endpoint.scrub(f"bad token {second} and {first}") == "bad token **** and ****"


def test_cli_schema_remote_uses_and_reports_the_fetched_schema(cli, fake_api, good_file) -> None:
    fake_api.script("/schema", fa.schema())
    result = cli("--schema", "remote", "--api-url", fake_api.url, "--format", "json", str(good_file))
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)["schema"]
    assert info["source"] == "url" and info["location"] == f"{fake_api.url}/schema"
    assert info["version"] == "fake-1"
    cached = schema_cache.cached_schema_path(info["location"], create=True)
    assert info["sha256"] == hashlib.sha256(cached.read_bytes()).hexdigest()


def test_cli_schema_url_rejecting_the_file(cli, fake_api, tmp_path) -> None:
    application = fa.SCHEMA["properties"]["application"]
    # stricter than the bundled schema, yet it accepts the minimal file a downloaded schema is tried on
    strict = {
        **fa.SCHEMA,
        "properties": {
            "application": {**application, "properties": {**application["properties"], "name": {"maxLength": 4}}}
        },
    }
    fake_api.script("/strict.json", fa.Reply(200, strict))
    path = tmp_path / "nexlayer.yaml"
    path.write_text(GOOD)
    result = cli("--schema", f"{fake_api.url}/strict.json", str(path))
    assert result.exit_code == 1 and " NX104 " in result.output and '"bookshop"' in result.output, result.output
    assert "NX900" not in result.output


def test_cli_schema_remote_offline_falls_back_with_nx900(cli, fake_api, good_file) -> None:
    fake_api.script("/schema", fa.garbage())
    result = cli("--schema", "remote", "--api-url", fake_api.url, "--format", "json", str(good_file))
    report = json.loads(result.output)
    assert report["schema"]["source"] == "bundled"
    [diag] = report["files"][0]["diagnostics"]
    assert diag["code"] == "NX900" and diag["line"] == 1
    assert diag["message"] == (
        f'could not fetch the schema from "{fake_api.url}/schema": the response is not '
        "valid JSON; using the bundled schema"
    )


def test_cli_schema_fetch_and_path(cli, fake_api) -> None:
    fake_api.script("/schema", fa.schema())
    result = cli("schema", "fetch", "--api-url", fake_api.url)
    assert result.exit_code == 0, result.output
    cached = schema_cache.cached_schema_path(f"{fake_api.url}/schema", create=True)
    digest = hashlib.sha256(cached.read_bytes()).hexdigest()
    assert result.output.splitlines() == [
        f"url:     {fake_api.url}/schema",
        "version: fake-1",
        f"sha256:  {digest}",
        f"cache:   {cached}",
    ]
    assert cli("schema", "fetch", "--api-url", fake_api.url).exit_code == 0
    assert fake_api.count("/schema") == 2  # fetch always asks, even when the cache is fresh
    path = cli("schema", "path", "--schema", "remote", "--api-url", fake_api.url)
    assert path.output.strip() == str(cached)
    assert fake_api.count("/schema") == 2  # the fresh cache answered


def test_cli_schema_fetch_refreshes_what_the_config_names(cli, fake_api, tmp_path, monkeypatch) -> None:
    # hunt 59 F2: it read no config, so it refreshed the public API's schema, not the one in use
    fake_api.script("/schema", fa.schema())
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".nexlayer-lint.toml").write_text(f'api-url = "{fake_api.url}"\ntimeout = 5\n', encoding="utf-8")
    result = cli("schema", "fetch")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"url:     {fake_api.url}/schema" and fake_api.count("/schema") == 1
    # hunt 61 F6: a config's schema URL (http on the loopback, as check takes it) is what is refreshed
    (tmp_path / ".nexlayer-lint.toml").write_text(f'schema = "{fake_api.url}/other.json"\n', encoding="utf-8")
    fake_api.script("/other.json", fa.schema())
    assert cli("schema", "fetch").output.splitlines()[0] == f"url:     {fake_api.url}/other.json"
    # hunt 61 F8: a broken config stops it, as it stops check; --isolated reads none
    (tmp_path / ".nexlayer-lint.toml").write_text('select = ["NX999"]\n', encoding="utf-8")
    assert cli("schema", "fetch", "--api-url", fake_api.url).exit_code == 2
    assert cli("schema", "fetch", "--isolated", "--api-url", fake_api.url).exit_code == 0


def test_cli_schema_fetch_failure_exits_2(cli, fake_api) -> None:
    fake_api.script("/schema", fa.bad_metaschema())
    result = cli("schema", "fetch", "--api-url", fake_api.url)
    assert result.exit_code == 2
    assert "not a valid JSON Schema" in result.output  # CliRunner mixes stderr in


def test_default_run_opens_no_socket(fake_api, good_file, tmp_path) -> None:
    """With NEXLAYER_API_URL set, a plain run neither connects nor even resolves a name."""
    fake_api.script("/validate", fa.valid())
    fake_api.script("/schema", fa.schema())
    probe = textwrap.dedent("""
        import sys
        seen = []
        def hook(event, args):
            if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "http.client.connect"):
                seen.append(event)
        sys.addaudithook(hook)
        from nexlayer_lint.cli import main
        try:
            main(sys.argv[1:])
        except SystemExit as exit:
            code = exit.code
        sys.stderr.write(f"AUDIT {seen} EXIT {code}\\n")
    """)
    env = {**os.environ, "NEXLAYER_API_URL": fake_api.url, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for args in ([str(good_file)], ["--format", "sarif", str(good_file)], ["schema", "path"]):
        done = subprocess.run([sys.executable, "-c", probe, *args], env=env, capture_output=True, timeout=60)
        assert b"AUDIT [] EXIT 0" in done.stderr, done.stderr.decode()
    # the probe does see a connection when one is made: a --remote run is caught
    done = subprocess.run(
        [sys.executable, "-c", probe, "--remote", str(good_file)], env=env, capture_output=True, timeout=60
    )
    assert b"socket.connect" in done.stderr and fake_api.count() == 1


def test_cli_remote_run_keeps_local_suppressions_working(cli, fake_api, tmp_path) -> None:
    # Local and remote findings go through suppression together: a directive that silenced a
    # local finding is not reported as unused (NX099) because the remote step found nothing there.
    path = tmp_path / "nexlayer.yaml"
    path.write_text(
        GOOD.replace("application:\n", "# nexlayer-lint: disable-file=NX215\napplication:\n", 1).replace(
            "postgres:16.4", "postgres", 1
        )
    )
    fake_api.script("/validate", fa.valid())
    result = cli("--remote", "--api-url", fake_api.url, "--format", "json", str(path))
    codes = [d["code"] for d in json.loads(result.output)["files"][0]["diagnostics"]]
    assert codes == [], result.output


# -- URLs with credentials: used as given, shown without user-info and query -------------------

FORMATS = ["text", "json", "sarif", "github", "junit", "gitlab"]
SECRET_PARTS = ("s3cretpw", "t0ps3cret", "user:")


def _shows_no_secret(*texts: str) -> bool:
    return not any(part in text for text in texts for part in SECRET_PARTS)


def _schema_location(fmt: str, stdout: str) -> str | None:
    if fmt == "json":
        return json.loads(stdout)["schema"]["location"]
    if fmt == "sarif":
        return json.loads(stdout)["runs"][0]["properties"]["schema"]["location"]
    return None


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_schema_url_with_credentials_is_used_but_never_shown(cli, fake_api, good_file, fmt) -> None:
    fake_api.script("/s/schema.json", fa.schema())
    url = f"http://user:s3cretpw@127.0.0.1:{fake_api.port}/s/schema.json?token=t0ps3cret#frag"
    shown = f"http://127.0.0.1:{fake_api.port}/s/schema.json"
    result = cli("--schema", url, "--format", fmt, "--verbose", str(good_file))
    assert result.exit_code == 0, result.output
    assert _shows_no_secret(result.stdout, result.stderr)
    assert f"schema {shown} (sha256:" in result.stderr  # --verbose
    assert _schema_location(fmt, result.stdout) in (None, shown)
    [sent] = fake_api.requests
    assert sent.path == "/s/schema.json?token=t0ps3cret"  # the query is the server's to read, as given
    assert "authorization" not in sent.headers


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_api_url_with_credentials_makes_a_valid_request_and_is_never_shown(cli, fake_api, good_file, fmt) -> None:
    fake_api.script("/api/validate", fa.status(500))
    api_url = f"http://user:s3cretpw@127.0.0.1:{fake_api.port}/api/?token=t0ps3cret"
    result = cli("--remote", "--api-url", api_url, "--format", fmt, "--verbose", str(good_file))
    assert result.exit_code == 0
    assert _shows_no_secret(result.stdout, result.stderr)
    assert f"could not use http://127.0.0.1:{fake_api.port}/api/validate: HTTP 500 after 4 attempts" in result.stdout
    assert {r.path for r in fake_api.requests} == {"/api/validate?token=t0ps3cret"}  # not ...?token=.../validate


def test_nexlayer_api_url_with_credentials_in_schema_fetch_path_and_reports(
    cli, fake_api, good_file, monkeypatch
) -> None:
    monkeypatch.setenv("NEXLAYER_API_URL", f"http://user:s3cretpw@127.0.0.1:{fake_api.port}/api?token=t0ps3cret")
    shown = f"http://127.0.0.1:{fake_api.port}/api/schema"
    fake_api.script("/api/schema", fa.schema())
    fetched = cli("schema", "fetch")
    assert fetched.exit_code == 0, fetched.output
    assert fetched.stdout.splitlines()[0] == f"url:     {shown}"
    assert cli("schema", "path", "--schema", "remote").stdout.strip().endswith(".json")  # the cached file
    report = cli("--schema", "remote", "--format", "json", "--schema", "remote", str(good_file))
    assert json.loads(report.stdout)["schema"]["source"] == "cache"
    assert fake_api.count() == 1 and fake_api.requests[0].path == "/api/schema?token=t0ps3cret"
    fake_api.script("/api/schema", fa.status(503))
    failed = cli("schema", "fetch")
    assert failed.exit_code == 2 and f'could not fetch the schema from "{shown}": HTTP 503' in failed.stderr
    for result in (fetched, report, failed):
        assert _shows_no_secret(result.stdout, result.stderr)


def test_the_cache_file_name_tells_nothing_of_the_urls_credentials(cli, fake_api, monkeypatch, tmp_path) -> None:
    # hunt 22 F2: the name was the sha256 of the URL, password and token included; `schema fetch`
    # and `schema path` print it, and the host and path are public, so a short credential could
    # be found offline from a CI log by hashing guesses
    fake_api.script("/api/schema", fa.schema())
    url = f"http://ci:Pw1234@127.0.0.1:{fake_api.port}/api?token=tok42"
    names = []
    for cache in ("one", "two"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / cache))
        engine._choose_schema.cache_clear()  # the process's choice is per cache, here
        fetched = cli("schema", "fetch", "--api-url", url)
        assert fetched.exit_code == 0, fetched.output
        printed = Path(fetched.stdout.splitlines()[3].removeprefix("cache:   "))
        assert cli("schema", "path", "--schema", "remote", "--api-url", url).stdout.strip() == str(printed)
        names.append(printed.stem)
    full = f"http://ci:Pw1234@127.0.0.1:{fake_api.port}/api/schema?token=tok42"
    guesses = {
        hashlib.sha256(
            f"http://ci:Pw{pw:04d}@127.0.0.1:{fake_api.port}/api/schema?token=tok{tok:02d}".encode()
        ).hexdigest()
        for pw in range(1230, 1240)
        for tok in range(40, 45)
    }
    assert guesses.isdisjoint(names) and hashlib.sha256(full.encode()).hexdigest() not in names
    assert names[0] != names[1]  # a new cache, a new key: the name is no function of the URL alone
    if os.name == "posix":  # the key is the user's alone
        assert (tmp_path / "two" / "nexlayer-lint" / "cache-key").stat().st_mode & 0o777 == 0o600
    # two URLs that differ only in the token still never share a file
    other = cli("schema", "fetch", "--api-url", url.replace("tok42", "tok43"))
    assert other.exit_code == 0 and other.stdout.splitlines()[3] != f"cache:   {tmp_path / 'two'}/{names[1]}.json"


def test_schema_path_of_an_uncached_url_prints_it_without_credentials(cli, fake_api, monkeypatch, tmp_path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")  # the cache cannot be written: `schema path` falls back to the URL
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    fake_api.script("/schema.json", fa.schema())
    result = cli(
        "schema", "path", "--schema", f"http://user:s3cretpw@127.0.0.1:{fake_api.port}/schema.json?token=t0ps3cret"
    )
    assert result.exit_code == 0
    assert result.stdout.strip() == f"http://127.0.0.1:{fake_api.port}/schema.json"
    assert _shows_no_secret(result.stdout, result.stderr)


@pytest.mark.parametrize(
    "url",
    [
        "http://user:s3cretpw@api.example.com/s.json?token=t0ps3cret",
        "https://user:s3cretpw@api.example.com:99999/s.json?token=t0ps3cret",
        "https://user:s3cretpw@api.example.com/a b?token=t0ps3cret",
        "ftp://user:s3cretpw@api.example.com/s.json?token=t0ps3cret",
    ],
)
def test_refused_urls_with_credentials_are_not_shown(cli, good_file, url, _no_network) -> None:
    result = cli("--schema", url, "--format", "json", str(good_file))
    assert _shows_no_secret(result.stdout, result.stderr)
    if url.startswith("ftp:"):  # not a schema source at all: a usage error
        assert result.exit_code == 2
        assert (
            '--schema takes bundled, remote, a file or an https URL, not "ftp://api.example.com/s.json"'
            in result.stderr
        )
    else:  # a URL that cannot be fetched: the bundled schema, and NX900 says why
        assert result.exit_code == 0
        [diagnostic] = json.loads(result.stdout)["files"][0]["diagnostics"]
        assert diagnostic["code"] == "NX900" and diagnostic["message"].endswith("; using the bundled schema")
    for command in (["schema", "fetch", "--schema", url], ["schema", "path", "--schema", url]):
        done = cli(*command)
        assert done.exit_code in (0, 2) and _shows_no_secret(done.stdout, done.stderr), done.output
    assert _no_network == []


# -- network settings belong to the person running the tool -------------------------------------


@pytest.mark.parametrize("config_name", [".nexlayer-lint.toml", "pyproject.toml"])
def test_a_config_file_cannot_send_secrets(cli, fake_api, tmp_path, monkeypatch, config_name) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nexlayer.yaml").write_text(DOC)
    table = "[tool.nexlayer-lint]\n" if config_name == "pyproject.toml" else ""
    (tmp_path / config_name).write_text(f"{table}remote = true\nremote-send-secrets = true\n")
    fake_api.script("/validate", fa.valid())
    result = cli("--api-url", fake_api.url, "nexlayer.yaml")
    assert result.exit_code == 2 and not isinstance(result.exception, Exception)
    assert '"remote-send-secrets" can only be given on the command line (--remote-send-secrets)' in result.stderr
    assert fake_api.count() == 0


def test_remote_send_secrets_false_in_a_config_file_is_accepted(cli, fake_api, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nexlayer.yaml").write_text(DOC)
    (tmp_path / ".nexlayer-lint.toml").write_text("remote = true\nremote-send-secrets = false\n")
    fake_api.script("/validate", fa.valid())
    assert cli("--api-url", fake_api.url, "nexlayer.yaml").exit_code != 2  # findings, not a config error
    cli("--api-url", fake_api.url, "--remote-send-secrets", "nexlayer.yaml")  # the command line's own choice
    redacted, sent = (r.body.decode() for r in fake_api.requests)
    assert "hunter2-literal" not in redacted and "hunter2-literal" in sent


def test_a_config_file_cannot_choose_where_the_secrets_go(cli, fake_api, tmp_path, monkeypatch) -> None:
    # hunt 140 F5: a pull request's `api-url` received the secrets of `--remote-send-secrets`
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nexlayer.yaml").write_text(DOC)
    (tmp_path / ".nexlayer-lint.toml").write_text(f'api-url = "{fake_api.url}/collect"\n')
    fake_api.script("/collect/validate", fa.valid())
    refused = cli("--remote", "--remote-send-secrets", "nexlayer.yaml")
    assert refused.exit_code == 2 and fake_api.count() == 0
    assert "--remote-send-secrets sends secrets only to an API named on the command line" in refused.stderr
    assert cli("--remote", "nexlayer.yaml").exit_code != 2  # redacted, the config's API is asked
    named = cli("--remote", "--remote-send-secrets", "--api-url", f"{fake_api.url}/collect", "nexlayer.yaml")
    assert named.exit_code != 2
    redacted, sent = (r.body.decode() for r in fake_api.requests)
    assert "hunter2-literal" not in redacted and "hunter2-literal" in sent


@pytest.mark.parametrize(
    "line",
    [
        "timeout = nan",
        "timeout = inf",
        "timeout = -1",
        "timeout = 1e308",
        "timeout = 0",
        "schema-ttl-hours = nan",
        "schema-ttl-hours = -1",
        "schema-ttl-hours = inf",
    ],
)
def test_network_times_out_of_range_in_a_config_file_are_errors(cli, tmp_path, monkeypatch, line) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nexlayer.yaml").write_text(GOOD)
    (tmp_path / ".nexlayer-lint.toml").write_text(line + "\n")
    result = cli("nexlayer.yaml")
    key = line.split(" ")[0]
    assert result.exit_code == 2 and not isinstance(result.exception, Exception)
    assert f'"{key}" must be a number of ' in result.stderr and " from " in result.stderr


@pytest.mark.parametrize(
    "url",
    [
        "https:/deploy:CnryBadUrl1@api.example.com",
        "https:deploy:CnryBadUrl1@api.example.com",
        "https//deploy:CnryBadUrl1@api.example.com",
        "deploy:CnryBadUrl1@api.example.com:9",
    ],
)
def test_a_mistyped_url_with_credentials_is_never_shown(cli, good_file, url, monkeypatch) -> None:
    # found by the sixth leak hunt: a URL too malformed to have an authority kept its user-info
    # in its path, and NX900, --show-settings, `schema fetch` and a schema file's error printed it
    outputs = [
        cli("--remote", "--api-url", url, "--format", "sarif", str(good_file)),
        cli("--show-settings", "--api-url", url, str(good_file)),
        cli("schema", "fetch", "--api-url", url),
        cli("--schema", url + "/schema.json", str(good_file)),
    ]
    for result in outputs:
        assert "Traceback" not in result.output
        assert "CnryBadUrl1" not in result.stdout + result.stderr, result.stdout + result.stderr
    assert "NX900" in outputs[0].stdout and "api.example.com" in outputs[1].stdout


def test_a_served_schemas_remote_ref_is_quoted_without_its_credentials() -> None:
    # hunt 256 F2: a served schema's `$ref` was quoted whole in the NX900, user-info and query too
    ref = "https://ci:s3cr3tpwZq9@schemas.example/app.json?token=tk123Zq9"
    problem = schema_cache.schema_problem({"properties": {"a": {"$ref": ref}}})
    assert problem == 'it has a $ref to "https://schemas.example/app.json", which is not inside the schema'


def test_a_schema_cut_short_of_its_content_length_is_neither_used_nor_cached(cli, fake_api, good_file) -> None:
    # hunt 279 F1: a body the server closed early was used, and cached for 24 hours
    fake_api.script("/schema", fa.Reply(200, fa.SCHEMA, {"Content-Type": "application/json"}, missing=5000))
    result = cli("--schema", "remote", "--api-url", fake_api.url, "--format", "json", str(good_file))
    report = json.loads(result.output)
    assert report["schema"]["source"] == "bundled"
    [diag] = report["files"][0]["diagnostics"]
    assert diag["code"] == "NX900" and "incomplete response (" in diag["message"]
    from nexlayer_lint import engine

    engine._choose_schema.cache_clear()  # (a new run)
    fake_api.script("/schema", fa.schema())
    again = json.loads(cli("--schema", "remote", "--api-url", fake_api.url, "--format", "json", str(good_file)).output)
    assert again["schema"]["source"] != "bundled" and fake_api.count("/schema") == 2  # nothing was cached
