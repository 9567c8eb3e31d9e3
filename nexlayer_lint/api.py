"""The only network code: GET {api}/schema through a disk cache, and POST {api}/validate."""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nexlayer_lint import __version__
from nexlayer_lint.model import DataPath, Document, Problem, SchemaInfo, Span, format_path

if TYPE_CHECKING:  # pragma: no cover
    import http.client

DEFAULT_API_URL = "https://app.nexlayer.io"
API_URL_ENV = "NEXLAYER_API_URL"
USER_AGENT = f"nexlayer-lint/{__version__}"
MAX_BODY = 5 * 1024 * 1024  # 5 MiB; we read at most one byte more to know it was exceeded
MAX_REDIRECTS = 5
RETRY_STATUSES = frozenset({429}) | frozenset(range(500, 600))
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_LINE1 = Span(1, 1, 1, 1)
# Server text is shown to the user: keep it short and free of terminal control sequences.
_MAX_SERVER_TEXT = 300
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# ---------------------------------------------------------------------------------------------
# URLs and places


def resolve_api_url(explicit: str | None) -> str:
    """--api-url, else NEXLAYER_API_URL, else the public API; without a trailing slash."""
    for candidate in (explicit, os.environ.get(API_URL_ENV)):
        if candidate and candidate.strip():
            return candidate.strip().rstrip("/")
    return DEFAULT_API_URL


def schema_url(api_url: str) -> str:
    """Where `--schema remote` fetches from."""
    return api_url.rstrip("/") + "/schema"


def cache_dir() -> Path:
    """The platform cache directory / "nexlayer-lint" (the same bases check-jsonschema uses)."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.environ.get("APPDATA")
        root = Path(base) if base else Path.home() / "AppData" / "Local"
    elif sys.platform == "darwin":
        root = Path.home() / "Library" / "Caches"
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        # The XDG spec says a relative path is invalid and must be ignored.
        root = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return root / "nexlayer-lint"


def cache_key(url: str) -> str:
    """The full URL's sha256: two schemas both called schema.json never collide (CVE-2024-53848)."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def cached_schema_path(url: str) -> Path:
    """Where the cached copy of `url` lives (or would live): the schema exactly as served."""
    return cache_dir() / f"{cache_key(url)}.json"


def _meta_path(url: str) -> Path:
    return cache_dir() / f"{cache_key(url)}.meta.json"


def display_url(url: str) -> str:
    """The URL without user-info, query or fragment: safe to print (they may hold credentials)."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        netloc = f"{host}:{parts.port}" if parts.port else host
    except ValueError:
        return "<invalid URL>"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and localhost: the only hosts plain http may reach."""
    import ipaddress

    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# ---------------------------------------------------------------------------------------------
# HTTP


class ApiError(Exception):
    """A request that could not be used; `str()` is a short cause without URLs' secrets."""


@dataclass(frozen=True)
class RetryPolicy:
    """How 429 and 5xx are retried. Tests inject `sleep` (and `rand`) to stay fast and exact."""

    retries: int = 3
    base: float = 0.5
    cap: float = 10.0
    sleep: Callable[[float], None] = time.sleep
    rand: Callable[[], float] = random.random

    def backoff(self, attempt: int, retry_after: float | None) -> float:
        """The pause before retry number `attempt` (0-based); a server's Retry-After wins."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.cap)
        # "equal jitter": half fixed, half random, so clients do not retry in lockstep.
        step = min(self.cap, self.base * (2**attempt))
        return step / 2 + step / 2 * self.rand()


DEFAULT_RETRY = RetryPolicy()


@dataclass(frozen=True)
class Response:
    status: int
    headers: Mapping[str, str]  # lower-case names
    body: bytes
    url: str


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as delta seconds or an HTTP date -> seconds from now; None when absent/invalid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:  # HTTP dates are GMT by definition
        import datetime as _dt

        when = when.replace(tzinfo=_dt.timezone.utc)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _check_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path+query) of an allowed URL; https, or http to loopback only."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ApiError(f"invalid URL {_q(display_url(url))} ({exc})") from None
    host = parts.hostname
    if parts.scheme not in ("https", "http") or not host:
        raise ApiError(f"invalid URL {_q(display_url(url))}: it must start with https://")
    if parts.scheme == "http" and not is_loopback(host):
        raise ApiError(f"refusing plain http to {_q(host)}: https is required except for loopback hosts")
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return parts.scheme, host, port or (443 if parts.scheme == "https" else 80), target


def _check_redirect(current: str, location: str) -> str:
    """The absolute redirect target, if it keeps the scheme, host and port; else ApiError."""
    from urllib.parse import urljoin, urlsplit

    target = urljoin(current, location)
    try:
        old, new = urlsplit(current), urlsplit(target)
        same_origin = (old.hostname, old.port) == (new.hostname, new.port)
    except ValueError:
        raise ApiError("redirected to an invalid URL") from None
    if new.scheme != old.scheme:
        raise ApiError(f"redirected to {new.scheme or 'a relative'} URL {_q(display_url(target))}; only same-scheme redirects are followed")
    if not same_origin:
        raise ApiError(f"redirected to another host ({_q(display_url(target))}); redirects are only followed on the same host")
    return target


def _proxy_for(scheme: str, host: str) -> tuple[str, int] | None:
    """The https proxy from the environment (HTTPS_PROXY, NO_PROXY), as urllib would pick it."""
    if scheme != "https" or is_loopback(host):
        return None
    from urllib.parse import urlsplit
    from urllib.request import getproxies, proxy_bypass

    proxy = getproxies().get("https")
    if not proxy or proxy_bypass(host):
        return None
    parts = urlsplit(proxy if "://" in proxy else "http://" + proxy)
    if not parts.hostname:
        return None
    return parts.hostname, parts.port or 8080


def _connection(scheme: str, host: str, port: int, timeout: float) -> http.client.HTTPConnection:
    import http.client

    proxy = _proxy_for(scheme, host)
    if scheme == "https":
        import ssl

        # Verification is always on: no option turns it off.
        context = ssl.create_default_context()
        if proxy:
            conn = http.client.HTTPSConnection(proxy[0], proxy[1], timeout=timeout, context=context)
            conn.set_tunnel(host, port)
            return conn
        return http.client.HTTPSConnection(host, port, timeout=timeout, context=context)
    return http.client.HTTPConnection(host, port, timeout=timeout)


def _once(method: str, url: str, body: bytes | None, headers: Mapping[str, str], timeout: float) -> Response:
    """One request, with a hard deadline over connect, headers and body together."""
    import http.client
    import socket
    import ssl

    scheme, host, port, target = _check_url(url)
    deadline = time.monotonic() + timeout

    def remaining() -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise socket.timeout
        return left

    conn = _connection(scheme, host, port, timeout)
    try:
        conn.connect()
        sock = conn.sock  # kept: getresponse() may drop conn.sock when the server closes
        sock.settimeout(remaining())
        conn.request(method, target, body=body, headers=dict(headers))
        sock.settimeout(remaining())
        resp = conn.getresponse()
        declared = resp.getheader("Content-Length")
        if declared and declared.strip().isdigit() and int(declared) > MAX_BODY:
            raise ApiError(f"response too large ({int(declared)} bytes; the limit is 5 MiB)")
        chunks: list[bytes] = []
        size = 0
        # The response closes the socket itself once a Content-Length body is complete.
        while size <= MAX_BODY and not resp.isclosed():
            sock.settimeout(remaining())
            # read1: at most one recv, so the deadline is checked between every arrival (a
            # body dripped a byte at a time must not outlive the timeout).
            chunk = resp.read1(min(65536, MAX_BODY + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_BODY:
            raise ApiError("response too large (over 5 MiB)")
        return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, b"".join(chunks), url)
    except ApiError:
        raise
    except (socket.timeout, TimeoutError):
        raise ApiError(f"no response within {timeout:g} s") from None
    except ConnectionRefusedError:
        raise ApiError(f"connection refused by {host}") from None
    except socket.gaierror:
        raise ApiError(f"cannot resolve host {_q(host)}") from None
    except ssl.SSLCertVerificationError as exc:
        raise ApiError(f"TLS certificate verification failed for {_q(host)} ({exc.verify_message})") from None
    except ssl.SSLError as exc:
        raise ApiError(f"TLS error with {_q(host)} ({exc.reason or 'handshake failed'})") from None
    except http.client.HTTPException as exc:
        raise ApiError(f"malformed HTTP response ({type(exc).__name__})") from None
    except OSError as exc:
        raise ApiError(f"network error ({exc.strerror or type(exc).__name__})") from None
    finally:
        conn.close()


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 10,
    retry: RetryPolicy | None = None,
) -> Response:
    """A request with bounded retries (429, 5xx) and same-origin redirects; ApiError on failure.

    Any other status is returned for the caller to judge. Connection failures and timeouts are
    not retried: an offline run should fail fast, and a hung server would multiply the wait.
    """
    retry = retry or DEFAULT_RETRY  # looked up per call, so a test can swap the module default
    all_headers = {"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})}
    attempt = 0
    redirects = 0
    while True:
        resp = _once(method, url, body, all_headers, timeout)
        if resp.status in _REDIRECT_STATUSES:
            location = resp.headers.get("location")
            if not location:
                raise ApiError(f"HTTP {resp.status} redirect without a Location")
            if method != "GET" and resp.status not in (307, 308):
                raise ApiError(f"HTTP {resp.status} redirect would turn the {method} into a GET")
            redirects += 1
            if redirects > MAX_REDIRECTS:
                raise ApiError(f"more than {MAX_REDIRECTS} redirects")
            url = _check_redirect(url, location)
            continue
        if resp.status in RETRY_STATUSES:
            if attempt >= retry.retries:
                tries = "attempt" if attempt == 0 else "attempts"
                raise ApiError(f"HTTP {resp.status} after {attempt + 1} {tries}")
            retry.sleep(retry.backoff(attempt, parse_retry_after(resp.headers.get("retry-after"))))
            attempt += 1
            continue
        return resp


def _parse_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise ApiError("the response is not valid JSON") from None


def _q(text: Any) -> str:
    """Double-quoted, as every message quotes values."""
    return '"' + str(text).replace('"', '\\"') + '"'


def _clean(text: Any) -> str:
    """Server-provided text made safe to print: a string, no control characters, bounded."""
    text = _CONTROL.sub(" ", str(text)).strip()
    return text if len(text) <= _MAX_SERVER_TEXT else text[: _MAX_SERVER_TEXT - 1] + "…"


# ---------------------------------------------------------------------------------------------
# GET /schema with a disk cache


@dataclass(frozen=True)
class RemoteSchema:
    """What `--schema remote|URL` obtained. `schema` None: the caller falls back to the bundled one."""

    schema: dict | None
    info: SchemaInfo | None
    warning: str | None  # the NX900 message: what failed and what is used instead
    # Something worth saying that is not a failure (e.g. the cache could not be written).
    note: str | None = None


@dataclass(frozen=True)
class _Cached:
    schema: dict
    raw: bytes
    path: Path
    meta: dict = field(default_factory=dict)  # empty when missing or not matching the file

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()

    def fresh(self, ttl_hours: float, now: float) -> bool:
        fetched = self.meta.get("fetched_at")
        if not isinstance(fetched, (int, float)):
            return False
        # A fetch time in the future (clock change, tampering) does not count as fresh.
        return fetched <= now + 60 and now - fetched < ttl_hours * 3600


def schema_problem(schema: Any) -> str | None:
    """Why `schema` is not usable as our schema (None when it is): shape, remote $refs, metaschema."""
    if not isinstance(schema, dict):
        return "it is not a JSON object"
    # Iterative walk: a hostile, deeply nested file must not blow the stack.
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key in ("$ref", "$dynamicRef", "$recursiveRef"):
                ref = node.get(key)
                if isinstance(ref, str) and not ref.startswith("#"):
                    # A validator must never reach for the network or the disk behind our back.
                    return f"it has a {key} to {_q(_clean(ref))}, which is not inside the schema"
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    from jsonschema.exceptions import SchemaError
    from jsonschema.validators import validator_for

    try:
        validator_for(schema).check_schema(schema)
    except SchemaError as exc:
        where = format_path(tuple(exc.path)) or "the top level"
        return f"it fails the JSON Schema metaschema at {where} ({exc.validator} check)"
    except RecursionError:
        return "it is nested too deeply"
    return None


def _unwrap(data: Any) -> tuple[Any, str | None]:
    """Accept the schema itself, or the `{data: {schema, version}}` wrapper some clients expect."""
    if isinstance(data, dict) and "$schema" not in data and "properties" not in data:
        inner = data.get("data")
        if isinstance(inner, dict) and isinstance(inner.get("schema"), dict):
            version = inner.get("version")
            return inner["schema"], version if isinstance(version, str) else None
    return data, None


def _version_of(schema: dict, meta: Mapping[str, Any]) -> str:
    for value in (meta.get("version"), schema.get("version"), schema.get("x-version")):
        if isinstance(value, str) and value.strip():
            return _clean(value)[:64]
    return "unversioned"


def _read_limited(path: Path) -> bytes:
    """Read a cache file without following a symlink, and at most MAX_BODY + 1 bytes."""
    if path.is_symlink():
        raise ApiError("it is a symbolic link")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(MAX_BODY + 1)
    if len(data) > MAX_BODY:
        raise ApiError("it is larger than 5 MiB")
    return data


def _read_cache(url: str) -> tuple[_Cached | None, str | None]:
    """The cached copy of `url`, and why an existing copy was ignored (None if none or fine)."""
    path = cached_schema_path(url)
    try:
        raw = _read_limited(path)
    except (FileNotFoundError, NotADirectoryError):
        return None, None
    except ApiError as exc:
        return None, f"ignored the cached schema {_q(str(path))}: {exc}"
    except OSError as exc:
        return None, f"ignored the cached schema {_q(str(path))}: {exc.strerror or 'unreadable'}"
    try:
        schema = json.loads(raw)
    except (ValueError, RecursionError):
        return None, f"ignored the cached schema {_q(str(path))}: it is not valid JSON"
    problem = schema_problem(schema)
    if problem:
        return None, f"ignored the cached schema {_q(str(path))}: {problem}"
    meta: dict = {}
    try:
        loaded = json.loads(_read_limited(_meta_path(url)))
        # The pair is written in two steps; a meta file from another process's write is ignored.
        if isinstance(loaded, dict) and loaded.get("sha256") == hashlib.sha256(raw).hexdigest():
            meta = loaded
    except (OSError, ApiError, ValueError, RecursionError):
        pass
    return _Cached(schema, raw, path, meta), None


def _atomic_write(path: Path, data: bytes) -> None:
    """Temp file in the same directory, then os.replace: readers see the old or the new file."""
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # os.replace renames over the directory entry: a symlink planted at `path` is replaced,
        # never followed, so nothing is written outside the cache directory.
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _prepare_cache_dir() -> Path:
    directory = cache_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    if directory.is_symlink() or not directory.is_dir():
        raise OSError(f"{_q(str(directory))} is not a plain directory")
    return directory


def _write_cache(url: str, raw: bytes, meta: dict) -> str | None:
    """Store the schema and its metadata; the reason when that was impossible."""
    try:
        _prepare_cache_dir()
        path = cached_schema_path(url)
        _atomic_write(path, raw)
        _atomic_write(_meta_path(url), json.dumps(meta, sort_keys=True).encode("utf-8"))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return f"could not write the schema cache in {_q(str(cache_dir()))} ({reason}); it will be fetched again next run"
    return None


def _info(source: str, location: str, schema: dict, raw: bytes, meta: Mapping[str, Any]) -> SchemaInfo:
    return SchemaInfo(source, location, _version_of(schema, meta), hashlib.sha256(raw).hexdigest())


def _join(*parts: str | None) -> str | None:
    text = "; ".join(part for part in parts if part)
    return text or None


def _fetch(
    url: str, cached: _Cached | None, ignored: str | None, *, timeout: float, retry: RetryPolicy | None
) -> RemoteSchema:
    shown = display_url(url)
    headers: dict[str, str] = {}
    if cached and cached.meta:
        if isinstance(cached.meta.get("etag"), str):
            headers["If-None-Match"] = cached.meta["etag"]
        if isinstance(cached.meta.get("last_modified"), str):
            headers["If-Modified-Since"] = cached.meta["last_modified"]
    try:
        resp = request("GET", url, headers=headers, timeout=timeout, retry=retry)
        if resp.status == 304 and cached and headers:
            meta = {**cached.meta, "fetched_at": time.time()}
            note = _write_cache(url, cached.raw, meta)
            info = _info("url", url, cached.schema, cached.raw, meta)
            return RemoteSchema(cached.schema, info, _join(ignored), note)
        if resp.status != 200:
            raise ApiError(f"HTTP {resp.status}")
        schema, version = _unwrap(_parse_json(resp.body))
        problem = schema_problem(schema)
        if problem:
            raise ApiError(f"the response is not a usable schema: {problem}")
    except ApiError as exc:
        failed = f"could not fetch the schema from {_q(shown)}: {exc}"
        if cached:
            age = _age(cached.meta.get("fetched_at"))
            info = _info("cache", str(cached.path), cached.schema, cached.raw, cached.meta)
            return RemoteSchema(cached.schema, info, f"{failed}; using the cached copy{age}")
        return RemoteSchema(None, None, _join(failed, ignored) + "; using the bundled schema")
    raw = resp.body if version is None else json.dumps(schema).encode("utf-8")
    meta = {
        "url": display_url(url),
        "etag": resp.headers.get("etag"),
        "last_modified": resp.headers.get("last-modified"),
        "fetched_at": time.time(),
        "sha256": hashlib.sha256(raw).hexdigest(),
        "version": version,
    }
    note = _write_cache(url, raw, meta)
    return RemoteSchema(schema, _info("url", url, schema, raw, meta), _join(ignored), note)


def _age(fetched_at: Any) -> str:
    if not isinstance(fetched_at, (int, float)):
        return ""
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(fetched_at))
    return f" fetched {stamp}"


def load_remote_schema(
    url: str, *, ttl_hours: float = 24, timeout: float = 10, retry: RetryPolicy | None = None
) -> RemoteSchema:
    """The schema at `url`: from the cache while fresh, else asked for (conditionally when cached)."""
    try:
        _check_url(url)
    except ApiError as exc:
        return RemoteSchema(None, None, f"could not fetch the schema: {exc}; using the bundled schema")
    cached, ignored = _read_cache(url)
    if cached and cached.fresh(ttl_hours, time.time()):
        info = _info("cache", str(cached.path), cached.schema, cached.raw, cached.meta)
        return RemoteSchema(cached.schema, info, None)
    return _fetch(url, cached, ignored, timeout=timeout, retry=retry)


def refresh_schema(url: str, *, timeout: float = 10, retry: RetryPolicy | None = None) -> RemoteSchema:
    """`schema fetch`: always asks the server (conditionally, so an unchanged schema costs a 304)."""
    try:
        _check_url(url)
    except ApiError as exc:
        return RemoteSchema(None, None, f"could not fetch the schema: {exc}; using the bundled schema")
    cached, ignored = _read_cache(url)
    return _fetch(url, cached, ignored, timeout=timeout, retry=retry)


# ---------------------------------------------------------------------------------------------
# POST /validate

_SEGMENT = re.compile(r"""\[(\d+)\]|\[(?:"([^"]*)"|'([^']*)')\]|([^.\[\]]+)""")


def parse_api_path(text: Any) -> DataPath | None:
    """"application.pods[0].image" -> ("application", "pods", 0, "image"); None if unparseable.

    Also accepts "pods.0.image" (numeric segments) and ["quoted"] keys.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    text = text.strip()
    if text.startswith("$."):  # JSONPath-style root
        text = text[2:]
    parts: list[str | int] = []
    pos = 0
    while pos < len(text):
        if text[pos] == "." and parts:
            pos += 1
        match = _SEGMENT.match(text, pos)
        if not match:
            return None
        index, dq, sq, name = match.groups()
        if index is not None:
            parts.append(int(index))
        elif name is not None:
            parts.append(int(name) if name.isdigit() else name)
        else:
            parts.append(dq if dq is not None else sq)
        pos = match.end()
    return tuple(parts) or None


def _place(doc: Document, path: DataPath | None) -> tuple[DataPath, str, Span | None]:
    """(path, at, span) for a detail: the node itself, the mapping lacking it, or line 1."""
    if path is None:
        return (), "value", _LINE1
    candidates = [path]
    if path[0] != "application":  # servers sometimes drop the root ("pods[0].image")
        candidates.append(("application", *path))
    for candidate in candidates:
        if candidate in doc.positions:
            return candidate, "value", None
    for candidate in candidates:
        # A "required field missing" names a key that is absent: point at the key holding it.
        parent = candidate[:-1]
        if len(candidate) > 1 and parent in doc.positions:
            return parent, "key", None
    return (), "value", _LINE1


def _remote_failure(url: str, cause: str) -> list[Problem]:
    message = f"could not use {display_url(url)}: {cause}; only the local checks ran"
    return [Problem("NX900", message, (), hint="run again later, or drop --remote", span=_LINE1)]


def _details(body: Any) -> list[tuple[Any, str]] | None:
    """[(path or None, message)] from a rejection body; None when the shape is not understood."""
    if not isinstance(body, dict):
        return None
    items = body.get("details")
    if items is None:
        items = body.get("errors")
    out: list[tuple[Any, str]] = []
    if isinstance(items, list):
        for item in items:
            if isinstance(item, str):
                out.append((None, item))
            elif isinstance(item, dict) and isinstance(item.get("message"), str):
                out.append((item.get("path", item.get("field")), item["message"]))
    if out:
        return out
    error = body.get("error")
    if isinstance(error, str) and error.strip():
        return [(None, error)]
    return None


def validate_remote(
    doc: Document,
    *,
    api_url: str,
    send_secrets: bool = False,
    timeout: float = 10,
    local_has_errors: bool,
    retry: RetryPolicy | None = None,
) -> list[Problem]:
    """POST the document to {api}/validate: NX901 per rejection detail, NX902 on disagreement, NX900 on failure."""
    url = api_url.rstrip("/") + "/validate"
    if not isinstance(doc.data, dict):
        return _remote_failure(url, "the file is not a mapping, so it was not sent")
    from nexlayer_lint.secrets import redact_data

    payload = doc.data if send_secrets else redact_data(doc.data)
    try:
        body = json.dumps(payload, allow_nan=False).encode("ascii")  # \uXXXX escapes: lone surrogates survive
    except ValueError:
        return _remote_failure(url, "the file holds a value JSON cannot carry (inf or nan), so it was not sent")
    try:
        resp = request(
            "POST", url, body=body, headers={"Content-Type": "application/json"}, timeout=timeout, retry=retry
        )
        if resp.status not in (200, 400, 422):
            raise ApiError(f"HTTP {resp.status}")
        answer = _parse_json(resp.body)
        if not isinstance(answer, dict):
            raise ApiError("unexpected response shape (not a JSON object)")
        if resp.status == 200 and answer.get("valid") is not False and "error" not in answer:
            if not isinstance(answer.get("message"), str):
                raise ApiError("unexpected response shape (no \"message\")")
            rejected: list[tuple[Any, str]] = []
        else:
            found = _details(answer)
            if found is None:
                raise ApiError(f"unexpected response shape for HTTP {resp.status} (no \"error\" or \"details\")")
            rejected = found
    except ApiError as exc:
        return _remote_failure(url, str(exc))
    problems: list[Problem] = []
    for raw_path, text in rejected:
        parsed = parse_api_path(raw_path)
        path, at, span = _place(doc, parsed)
        where = format_path(parsed) if parsed else ""
        message = (
            f"the Nexlayer API rejected {_q(where)}: {_q(_clean(text))}"
            if where
            else f"the Nexlayer API rejected the file: {_q(_clean(text))}"
        )
        problems.append(Problem("NX901", message, path, at=at, span=span))  # type: ignore[arg-type]
    remote_rejects = bool(rejected)
    if remote_rejects != local_has_errors:
        message = (
            "the Nexlayer API rejected the file, but the local checks found no errors"
            if remote_rejects
            else "the Nexlayer API accepted the file, but the local checks found errors"
        )
        hint = (
            "the bundled schema may be out of date; try --schema remote"
            if remote_rejects
            else "the local checks are stricter than the API; the errors may still fail at deploy time"
        )
        problems.append(Problem("NX902", message, (), hint=hint, span=_LINE1))
    return problems
