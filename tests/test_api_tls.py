"""The remote path over real TLS: the fake API serves https on 127.0.0.1 with a certificate from a
test CA (trustme), and the client verifies it the way it verifies app.nexlayer.io: the system's
trust store, which SSL_CERT_FILE points at the test CA here. No test turns verification off,
because nothing in nexlayer-lint can."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from nexlayer_lint import http_client, remote_validate, schema_cache
from tests import fake_api as fa

trustme = pytest.importorskip("trustme", reason="trustme (in the test extra) makes the test certificates")


@pytest.fixture
def retry() -> http_client.RetryPolicy:
    return http_client.RetryPolicy(sleep=lambda seconds: None, rand=lambda: 0.5)


def _trust(ca: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pem = tmp_path / "trusted-ca.pem"
    ca.cert_pem.write_to_path(str(pem))  # type: ignore[attr-defined]
    monkeypatch.setenv("SSL_CERT_FILE", str(pem))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)


Serve = Callable[[object, str], fa.FakeApi]


@pytest.fixture
def tls_servers() -> Iterator[Serve]:
    """Starts fake APIs serving https with a certificate for a name from a CA; stops them after.
    Using this fixture also lifts the network guard for the test (tests/fake_api.py)."""
    started: list[fa.FakeApi] = []

    def serve(ca: object, name: str) -> fa.FakeApi:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert(name).configure_cert(context)  # type: ignore[attr-defined]
        started.append(fa.FakeApi(tls=context).start())
        return started[-1]

    try:
        yield serve
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def fake_tls_api(tls_servers: Serve, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> fa.FakeApi:
    """https://127.0.0.1:<port> with a certificate the client trusts."""
    ca = trustme.CA()
    _trust(ca, tmp_path, monkeypatch)
    return tls_servers(ca, "127.0.0.1")


def test_schema_over_verified_tls(fake_tls_api: fa.FakeApi, retry: http_client.RetryPolicy) -> None:
    assert fake_tls_api.url.startswith("https://127.0.0.1:")
    fake_tls_api.script("/schema", fa.schema())
    fetched = schema_cache.load_remote_schema(f"{fake_tls_api.url}/schema", retry=retry)
    assert fetched.warning is None and fetched.schema == fa.SCHEMA
    assert fake_tls_api.count("/schema", "GET") == 1


def test_validate_over_verified_tls(fake_tls_api: fa.FakeApi, retry: http_client.RetryPolicy) -> None:
    from nexlayer_lint import loader

    doc, _ = loader.load(
        "application:\n  name: shop\n  pods:\n    - name: web\n      image: nginx:1\n"
        "      path: /\n      servicePorts: [80]\n",
        "nexlayer.yaml",
    )
    fake_tls_api.script("/validate", fa.invalid({"path": "application.pods[0].image", "message": "bad image"}))
    problems = remote_validate.validate_remote(
        doc, api_url=fake_tls_api.url, send_secrets=False, timeout=5, local_has_errors=False, retry=retry
    )
    # the API's rejection (NX901), and that it disagrees with the local verdict (NX902)
    assert sorted(p.code for p in problems) == ["NX901", "NX902"]
    assert any("bad image" in p.message for p in problems if p.code == "NX901")
    assert fake_tls_api.count("/validate", "POST") == 1


def test_a_certificate_from_an_unknown_ca_is_refused(
    tls_servers: Serve, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, retry: http_client.RetryPolicy
) -> None:
    _trust(trustme.CA(), tmp_path, monkeypatch)  # the client trusts one CA
    fake_tls_api = tls_servers(trustme.CA(), "127.0.0.1")  # the server's certificate comes from another
    fake_tls_api.script("/schema", fa.schema())
    fetched = schema_cache.load_remote_schema(f"{fake_tls_api.url}/schema", retry=retry)
    assert fetched.schema is None
    assert 'TLS certificate verification failed for "127.0.0.1" (unable to get local issuer' in fetched.warning
    assert fake_tls_api.count() == 0  # not one request got through


def test_a_certificate_for_another_host_is_refused(
    tls_servers: Serve, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, retry: http_client.RetryPolicy
) -> None:
    ca = trustme.CA()
    _trust(ca, tmp_path, monkeypatch)
    fake_tls_api = tls_servers(ca, "api.example.test")  # a trusted CA, but another name
    fake_tls_api.script("/schema", fa.schema())
    fetched = schema_cache.load_remote_schema(f"{fake_tls_api.url}/schema", retry=retry)
    assert fetched.schema is None and 'verification failed for "127.0.0.1" (IP address mismatch' in fetched.warning
    assert fake_tls_api.count() == 0
