"""A fake Nexlayer API on 127.0.0.1 (http.server in a thread) with scripted replies, and the network guard.

Tests opt in to the network with the `fake_api` fixture; every other test runs with
`socket.connect` blocked (the autouse `_no_network` fixture, imported by conftest.py).
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

VALID_MESSAGE = "Nexlayer YAML file is valid."
# A small schema in the shape GET /schema serves (the API reference's table of top-level fields).
SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "Nexlayer YAML Schema",
    "description": "schema served by the fake API",
    "version": "fake-1",
    "type": "object",
    "required": ["application"],
    "additionalProperties": False,
    "properties": {
        "application": {
            "type": "object",
            "required": ["name", "pods"],
            "properties": {
                "name": {"type": "string"},
                # a pod needs its image: a schema that accepts a pod without one is refused
                "pods": {"type": "array", "items": {"type": "object", "required": ["name", "image"]}},
            },
        }
    },
}


@dataclass(frozen=True)
class Recorded:
    """One request the fake received."""

    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Reply:
    """A scripted answer. `delay` holds the reply back (a hang); `drip` sends the body a byte at a
    time; `drip_status_line` the status line a byte at a time, without end; `drip_headers` one
    header line at a time, 100 of them, after the status line."""

    status: int = 200
    body: Any = b""  # bytes, str, or anything JSON-encodable
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drip: float = 0.0
    stream: int = 0  # send this many filler bytes with no Content-Length (an oversized body)
    drip_status_line: float = 0.0  # seconds between bytes
    drip_headers: float = 0.0  # seconds between header lines
    missing: int = 0  # declare this many more bytes than the body has, then close (a body cut short)

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body).encode("utf-8")


Behaviour = Reply | Callable[[Recorded], Reply]


# Scripted behaviours -------------------------------------------------------------------------


def valid() -> Reply:
    return Reply(200, {"message": VALID_MESSAGE})


def invalid(*details: dict[str, str], error: str = "Validation failed") -> Reply:
    """400 with details; each detail uses "path" or "field" as the test gives it."""
    return Reply(400, {"error": error, "details": list(details)})


def error_only(text: str) -> Reply:
    return Reply(400, {"error": text})


def status(code: int, retry_after: str | None = None, body: Any = None) -> Reply:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return Reply(code, body if body is not None else {"error": f"status {code}"}, headers)


def hang(seconds: float = 30.0) -> Reply:
    """Hold the reply longer than the client's timeout (released early when the fake stops)."""
    return Reply(200, {"message": VALID_MESSAGE}, delay=seconds)


def drip(seconds_per_byte: float = 0.2) -> Reply:
    """Headers at once, then the body slowly: a per-read timeout alone would never fire."""
    return Reply(200, {"message": VALID_MESSAGE}, drip=seconds_per_byte)


def drip_status_line(seconds_per_byte: float = 0.2) -> Reply:
    """The status line a byte at a time, never ending: each read is quick, the response never comes."""
    return Reply(200, drip_status_line=seconds_per_byte)


def drip_headers(seconds_per_header: float = 0.5) -> Reply:
    """The status line at once, then a header every half second: 100 of them take 50 s."""
    return Reply(200, {"message": VALID_MESSAGE}, drip_headers=seconds_per_header)


def garbage() -> Reply:
    return Reply(200, b"<html><body>502 Bad Gateway</body></html>", {"Content-Type": "text/html"})


def oversized(declare_length: bool = False) -> Reply:
    """A body just over 5 MiB; without Content-Length the client must count while it reads."""
    size = 5 * 1024 * 1024 + 65536
    if declare_length:
        return Reply(200, b"x" * size)
    return Reply(200, stream=size)


def redirect(location: str, code: int = 302) -> Reply:
    return Reply(code, b"", {"Location": location})


def schema(
    document: dict[str, Any] | None = None, etag: str | None = '"v1"', last_modified: str | None = None
) -> Callable[[Recorded], Reply]:
    """GET /schema with validators: a matching If-None-Match (or If-Modified-Since) gets a 304."""
    document = SCHEMA if document is None else document

    def answer(request: Recorded) -> Reply:
        headers = {"Content-Type": "application/json"}
        if etag:
            headers["ETag"] = etag
        if last_modified:
            headers["Last-Modified"] = last_modified
        if etag and request.headers.get("if-none-match") == etag:
            return Reply(304, b"", headers)
        if not etag and last_modified and request.headers.get("if-modified-since") == last_modified:
            return Reply(304, b"", headers)
        return Reply(200, document, headers)

    return answer


def bad_metaschema() -> Reply:
    """JSON, but not a JSON Schema: `type` must be a string or a list of strings."""
    return Reply(200, {"$schema": "http://json-schema.org/draft-07/schema#", "type": 12})


# The server ----------------------------------------------------------------------------------


class FakeApi:
    """A real HTTP server on 127.0.0.1:<free port>; `script()` sets what each path answers."""

    def __init__(self, tls: Any = None) -> None:
        """`tls`: a server-side ssl.SSLContext to serve https instead of http."""
        self.requests: list[Recorded] = []
        self._scripts: dict[str, list[Behaviour]] = {}
        self._lock = threading.Lock()
        self.stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        if tls is not None:
            # The handshake runs when a connection is accepted; one the client refuses is an
            # OSError there, which the server drops and goes on.
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self.port = self._server.server_address[1]
        self.url = f"{'https' if tls is not None else 'http'}://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def start(self) -> FakeApi:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def script(self, path: str, *behaviours: Behaviour) -> None:
        """Answers for `path`, used in order; the last one repeats."""
        with self._lock:
            self._scripts[path] = list(behaviours)

    def count(self, path: str | None = None, method: str | None = None) -> int:
        return sum(
            1 for r in self.requests if (path is None or r.path == path) and (method is None or r.method == method)
        )

    def _next(self, request: Recorded) -> Reply:
        with self._lock:
            self.requests.append(request)
            queue = self._scripts.get(request.path.split("?")[0])
            if not queue:
                return Reply(404, {"error": "not found"})
            behaviour = queue.pop(0) if len(queue) > 1 else queue[0]
        return behaviour(request) if callable(behaviour) else behaviour


def _handler_for(api: FakeApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            recorded = Recorded(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            reply = api._next(recorded)
            if reply.delay and api.stopping.wait(reply.delay):
                return
            # the client may have given up (a cap or a timeout): that is the point of those tests
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._write(reply)

        def _write(self, reply: Reply) -> None:
            if reply.drip_status_line:
                self._drip(b"HTTP/1.1 200 " + b"O" * 10_000_000, reply.drip_status_line)  # longer than any test
                return
            if reply.drip_headers:
                self.wfile.write(f"HTTP/1.1 {reply.status} OK\r\n".encode())
                for i in range(100):
                    if api.stopping.wait(reply.drip_headers):
                        return
                    self.wfile.write(f"X-Drip-{i}: {i}\r\n".encode())
                return
            payload = reply.payload()
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.stream:
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                chunk = b" " * 65536
                for _ in range(reply.stream // len(chunk) + 1):
                    self.wfile.write(chunk)
                return
            if "Content-Type" not in reply.headers and payload:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload) + reply.missing))
            self.end_headers()
            if reply.drip:
                for i in range(len(payload)):
                    if api.stopping.wait(reply.drip):
                        return
                    self.wfile.write(payload[i : i + 1])
                    self.wfile.flush()
                return
            self.wfile.write(payload)

        def _drip(self, data: bytes, seconds: float) -> None:
            for i in range(len(data)):
                if api.stopping.wait(seconds):
                    return
                self.wfile.write(data[i : i + 1])

        do_GET = do_POST = do_PUT = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

    return Handler


@pytest.fixture
def fake_api() -> Iterator[FakeApi]:
    """A running fake API; using this fixture also lifts the network guard for the test."""
    api = FakeApi().start()
    try:
        yield api
    finally:
        api.stop()


class NetworkBlocked(RuntimeError):
    """A test tried to open a socket without the fake_api fixture."""


@pytest.fixture(autouse=True)
def _no_network(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Block outgoing connections (except Unix sockets) in every test that does not use fake_api.

    Yields the list of attempted addresses, so a test can also assert nothing was even tried.
    """
    attempts: list[Any] = []
    if "fake_api" in request.fixturenames or "tls_servers" in request.fixturenames:  # the latter: test_api_tls
        yield attempts
        return
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def guard(real: Callable[..., Any]) -> Callable[..., Any]:
        def connect(self: socket.socket, address: Any) -> Any:
            if getattr(socket, "AF_UNIX", None) is not None and self.family == socket.AF_UNIX:
                return real(self, address)
            attempts.append(address)
            raise NetworkBlocked(f"network access in a test without the fake_api fixture: {address!r}")

        return connect

    monkeypatch.setattr(socket.socket, "connect", guard(real_connect))
    monkeypatch.setattr(socket.socket, "connect_ex", guard(real_connect_ex))
    yield attempts
