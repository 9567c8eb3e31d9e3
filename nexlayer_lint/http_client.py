"""The only network code: one HTTP request, bounded in every way a server could stretch it.

Which URLs may be reached (https; plain http only to loopback addresses), how a URL is shown
(never its user-info or query, which may hold credentials), proxies from the environment,
same-origin redirects, bounded retries, a 5 MiB cap on bodies, verified TLS, and one deadline
for the whole request. Callers get a `Response` or a `RequestError` whose text is safe to print.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import random
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

from nexlayer_lint import __version__
from nexlayer_lint.lazy_regex import lazy

USER_AGENT = f"nexlayer-lint/{__version__}"
MAX_BODY = 5 * 1024 * 1024  # 5 MiB; at most one byte more is read, to know it was exceeded
MAX_REDIRECTS = 5
RETRY_STATUSES = frozenset({429}) | frozenset(range(500, 600))
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Server text is shown to the user: keep it short and free of terminal control sequences.
_MAX_SERVER_TEXT = 300
_CONTROL = lazy(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ANY_CONTROL = lazy(r"[\x00-\x1f\x7f-\x9f]")
# What may go into a request header's value: visible ASCII and spaces, nothing that could end
# the header (CR, LF) or confuse a server, and not too long.
_HEADER_VALUE = lazy(r"[\x20-\x7e]{1,1024}")
# A URL as it goes on the wire: visible ASCII only (anything else must be percent-encoded).
_URL_TEXT = lazy(r"[\x21-\x7e]+")


class RequestError(Exception):
    """A request that could not be used; `str()` is a short cause, without any URL's secrets."""


class _DeadlinePassed(Exception):
    """Raised on the request's thread; the caller words it with the deadline's length."""


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


# ---------------------------------------------------------------------------------------------
# URLs


class Target(NamedTuple):
    """Where one request goes: an allowed URL taken apart."""

    scheme: str  # "https", or "http" to a loopback host
    host: str
    port: int
    path: str  # the request target: path and query


def credentials_hider(url: str) -> Callable[[str], str]:
    """A text with `url`'s password and credentials in its query starred: a server may quote back
    the key it was given (`Invalid API key ...`, a redirect's target), which display_url never
    shows. A query value is a credential under a secret's name (`token`, `key`, `api_key`) or
    when it is long (`?v=1`, `?env=prod` are not: starring them would star every `1` and `prod`)."""
    from urllib.parse import parse_qsl, quote, quote_plus, unquote_plus

    from nexlayer_lint.secrets import hider, is_secret_var_name, parts_in, values_scrubber

    try:
        parts = urlsplit(url)
        # a path segment's parameters (`/api;jsessionid=x`) are read as a query's
        params = [param for segment in parts.path.split("/") for param in segment.split(";")[1:]]
        query = parse_qsl(parts.query) + parse_qsl("&".join(params))
    except ValueError:
        return as_is
    named = {value for name, value in query if is_secret_var_name(name) or _folded(name) in _QUERY_CREDENTIALS}
    # a long value under another name is starred as written, not its echoes: `?org=my-organization`
    # would star a reply's `organization` (hunt 204 F1)
    plain_long = {value for _, value in query if len(value) >= _LONG_QUERY_VALUE} - named
    values = {parts.password or ""} | named | plain_long
    values |= {param for param in params if "=" not in param and len(param) >= 4}  # `;Tok3n`: a bare one (hunt 44 F7)
    # a secret in the path, which display_url stars: a reply may quote the path (hunt 187 F3), as
    # written or decoded (`API_KEY=a%2Fb`, `gh%70_...`: hunt 190 F4)
    for path in {parts.path, unquote_plus(parts.path)}:
        values |= {path[part.start : part.end] for part in parts_in(path, assignment=True)}
    # and a segment as written whose decoded text holds one, whole, as display_url stars it (hunt 191 F2)
    values |= {segment for segment in parts.path.split("/") if _starred_segment(segment) == "*" * len(segment) != ""}
    credentials = values - plain_long - {""}  # whose altered echoes are looked for too (below)
    values |= {form for value in values for form in (quote(value, safe=""), quote_plus(value))}
    # and as written, which a server may quote back as it was sent: `%2f`, `%7e` (hunt 116 F4)
    for written in [*parts.query.split("&"), *params]:
        value = written.partition("=")[2]
        if value and unquote_plus(value) in values:
            values |= _escape_cases(value)
    values.discard("")
    if not values:
        return as_is
    values = _in_both_cases(values)
    whole = hider(values, whole_words=False, stars=4)
    # and echoes a reply alters, a key cut short with no `...` among them (`Invalid API key
    # Zq9Kf83LmPq72Xs`: hunt 203 F5), as a file's secrets are scrubbed: of every credential but a
    # long value under another name (the password, the path's tokens too: hunt 205 F1)
    echoes = values_scrubber(credentials)
    return lambda text: echoes(_cut_starts_hidden(whole(text), values))


def _in_both_cases(values: set[str]) -> set[str]:
    """Credentials as written, and upper- and lower-cased, as a server may quote one back
    (`Invalid API key QRYTOK...`: hunt 171 F2)."""
    return values | {form for value in values for form in (value.lower(), value.upper())}


_CUT = lazy("\\.\\.\\.|\u2026")  # `...`, or the one character `…`
_CUT_START = 3  # characters of a credential beside a cut that tell it (`s...` is many a word's end)


def _cut_starts_hidden(text: str, values: set[str]) -> str:
    """`text` with a credential that a message cut short starred: its start before a `...` (a
    served schema's long pattern quoted, `"^(?:...)|Zk9Pw4Lq7Xs2..."`: hunt 145 F1), or its end
    after one (`...2Pq8Rt5Vw3Yz`), or `…` (hunt 153 F12). Each cut looks only at the text between
    it and the cuts beside it, read once per value (_overlap): a credential of 100,000 characters
    took 5 GB (hunt 149 F3), and a look back of at most 100 characters showed a longer start
    (hunt 153 F1)."""
    cuts = list(_CUT.finditer(text))
    if not cuts:
        return text
    hidden: list[tuple[int, int]] = []
    long_enough = [(value, value[::-1]) for value in values if len(value) > _CUT_START]
    for number, dots in enumerate(cuts):
        before = text[cuts[number - 1].end() if number else 0 : dots.start()]
        after = text[dots.end() : cuts[number + 1].start() if number + 1 < len(cuts) else len(text)]
        start, end = dots.start(), dots.end()
        for value, backwards in long_enough:
            start = min(start, dots.start() - _overlap(before, value))
            end = max(end, dots.end() + _overlap(after[::-1], backwards))
        if (start, end) != dots.span():
            hidden.append((start, end))
    pieces, at = [], 0  # one pass: a text rebuilt at each cut was quadratic (hunt 156 F4)
    for start, end in hidden:
        pieces += [text[at:start], "****"]
        at = end
    return "".join(pieces) + text[at:]


def _overlap(text: str, value: str) -> int:
    """How many characters that end `text` start `value`, fewer than all of it and at least
    _CUT_START (else 0): the prefix function of Knuth, Morris and Pratt over `text`'s last
    characters, linear however often `value`'s start repeats in it."""
    text = text[-(len(value) - 1) :]
    if value[:_CUT_START] not in text:
        return 0
    pattern = value[: len(text)]
    fail = [0] * len(pattern)  # fail[i]: the longest proper start of pattern[: i + 1] that ends it
    k = 0
    for i in range(1, len(pattern)):
        while k and pattern[i] != pattern[k]:
            k = fail[k - 1]
        if pattern[i] == pattern[k]:
            k += 1
        fail[i] = k
    k = 0
    for char in text:
        while k and (k == len(pattern) or char != pattern[k]):
            k = fail[k - 1]
        if char == pattern[k]:
            k += 1
    return k if k >= _CUT_START else 0


_ESCAPE = lazy("%[0-9A-Fa-f]{2}")


def _escape_cases(value: str) -> set[str]:
    """`value` as written, and with its percent-escapes in upper and in lower case: a server may
    quote back a credential in either."""
    upper = _ESCAPE.sub(lambda escape: escape.group().upper(), value)
    return {value, upper, _ESCAPE.sub(lambda escape: escape.group().lower(), value)}


_LONG_QUERY_VALUE = 12  # characters: a query value this long may be a key under any name
# Query parameters that carry a credential, beside a secret's name (`token`, `key`): the shell's
# PWD is no secret as a var, but `?pwd=` is a password (hunt 37 F6); signatures, session ids,
# pass codes; folded (`session_id`, `PHPSESSID`). Not `code` alone: `?code=validate` starred
# every "validate" of a reply (hunt 38 F8).
_QUERY_CREDENTIALS = frozenset(
    {"pwd", "sig", "signature", "sid", "jwt", "session", "sessionid", "phpsessid", "passcode", "authcode"}
)


def _folded(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


def as_is(text: str) -> str:
    """What credentials_hider gives for a URL with nothing to hide."""
    return text


def display_url(url: str) -> str:
    """The URL without user-info, path parameters, query or fragment (they may hold credentials), a
    token in its path starred (`/ghp_.../schema.json`, as in a schema file's path: hunt 186 F1),
    and with any control character written as an escape (`\x1b`): safe to print. A URL too
    malformed to have an authority (`https:/user:pw@host`, `user:pw@host`) keeps its user-info in
    its path: every `...@` there is dropped too, so that no form of it is printed."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        netloc = f"{host}:{parts.port}" if parts.port else host
    except ValueError:
        return "<invalid URL>"
    # a segment's parameters (`/api;jsessionid=x`) may hold a session, as a query does
    path = "/".join(_starred_segment(segment.rpartition("@")[2].partition(";")[0]) for segment in parts.path.split("/"))
    shown = urlunsplit((parts.scheme, netloc, path, "", ""))
    return _ANY_CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", shown)


def display_ref(ref: str) -> str:
    """A schema's `$ref` to another document, shown as display_url shows a URL, with the JSON
    pointer it names (`#/$defs/app`) kept (hunt 256 F2)."""
    pointer = ref.partition("#")[2]
    return display_url(ref) + (f"#{pointer}" if pointer.startswith("/") else "")


def _starred_segment(segment: str) -> str:
    """A path segment with its secrets starred; whole when only its decoded text shows one
    (`gh%70_...`: hunt 190 F4)."""
    from urllib.parse import unquote

    from nexlayer_lint.secrets import parts_in, star_parts  # (every lint imports it already)

    starred = star_parts(segment)
    if starred == segment and "%" in segment and parts_in(unquote(segment), assignment=True):
        return "*" * len(segment)
    return starred


def join_url(base: str, name: str) -> str:
    """`name` appended to the base URL's path, its query kept:
    ("https://h/api/?key=1", "validate") -> "https://h/api/validate?key=1"."""
    try:
        parts = urlsplit(base.strip())
    except ValueError:
        return base  # check_url says why it is invalid
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/" + name, fragment=""))


def check_url(url: str) -> Target:
    """An allowed URL taken apart; RequestError if it is invalid, not https, or plain http to a
    host that cannot be loopback. Opens no socket: whether a localhost name really is loopback
    is decided when the request is made (is_loopback)."""
    if not _URL_TEXT.fullmatch(url):
        raise RequestError(
            f"invalid URL {_shown_url(url)}: it has spaces, control characters or "
            "non-ASCII characters (percent-encode them, and write a host name in punycode)"
        )
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise RequestError(f"invalid URL {_shown_url(url)}: it cannot be parsed") from None
    host = parts.hostname
    if parts.scheme not in ("https", "http") or not host:
        raise RequestError(f"invalid URL {_shown_url(url)}: it must start with https://")
    if parts.scheme == "http" and not _may_be_loopback(host):
        raise RequestError(f"refusing plain http to {quoted(host)}: https is required except for loopback hosts")
    return Target(parts.scheme, host, port or (443 if parts.scheme == "https" else 80), _request_target(parts))


def _shown_url(url: str) -> str:
    """A URL quoted in an error: its credentials starred, cut as a server's text is (a redirect's
    Location is the server's: 60 KB of it made each file's NX900 60 KB, hunt 140 F4)."""
    return quoted(server_text(display_url(url)))


def _request_target(parts: SplitResult) -> str:
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def resolve_host(host: str) -> list[str]:
    """Every address `host` resolves to (tests replace this function)."""
    return [str(info[4][0]) for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)]


def is_loopback(host: str) -> bool:
    """127.0.0.0/8 and ::1, or a `localhost` / `*.localhost` name that resolves only to them:
    the only hosts plain http may reach. Resolves a name, so it may block."""
    return bool(loopback_addresses(host))


def loopback_addresses(host: str) -> list[str]:
    """Where plain http to `host` may connect: the host itself if it is a loopback address, or
    every address a `localhost` / `*.localhost` name resolves to when all of them are loopback;
    else none. A resolver that forwards `*.localhost` to the internet does not make a remote
    host loopback, and connecting to these addresses (not to the name, resolved again) leaves
    no room for an answer that changes in between."""
    host = _bare(host)
    if _is_loopback_address(host):
        return [host]
    if not _is_localhost_name(host):
        return []
    try:
        addresses = resolve_host(host)
    except (OSError, UnicodeError):
        return []
    return addresses if addresses and all(_is_loopback_address(address) for address in addresses) else []


def _may_be_loopback(host: str) -> bool:
    """is_loopback without resolving: a loopback address, or a localhost name."""
    host = _bare(host)
    return _is_loopback_address(host) or _is_localhost_name(host)


def _bare(host: str) -> str:
    return host.strip("[]").lower().rstrip(".")


def _is_localhost_name(host: str) -> bool:
    return host == "localhost" or host.endswith(".localhost")


def _is_loopback_address(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback  # "%": an IPv6 zone
    except ValueError:
        return False


def _check_redirect(current: str, location: str) -> str:
    """The absolute redirect target, if it keeps the scheme, host and port; else RequestError."""
    try:  # urljoin() too parses the server's Location, and raises on "http://[::1"
        target = urljoin(current, location)
        old, new = urlsplit(current), urlsplit(target)
        same_origin = (old.hostname, old.port) == (new.hostname, new.port)
    except ValueError:
        raise RequestError("redirected to an invalid URL") from None
    if new.scheme != old.scheme:
        raise RequestError(
            f"redirected to {new.scheme or 'a relative'} URL {_shown_url(target)}; "
            "only same-scheme redirects are followed"
        )
    if not same_origin:
        raise RequestError(
            f"redirected to another host ({_shown_url(target)}); redirects are only followed on the same host"
        )
    return target


def safe_header_value(value: Any) -> str | None:
    """`value` if it can go into a request header as it is (visible ASCII, at most 1 KiB), else None."""
    return value if isinstance(value, str) and _HEADER_VALUE.fullmatch(value) else None


# ---------------------------------------------------------------------------------------------
# The request


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 10,
    retry: RetryPolicy | None = None,
) -> Response:
    """A request with bounded retries (429, 5xx) and same-origin redirects; RequestError on failure.

    `timeout` is a deadline for the whole request: resolving the name, connecting, TLS, sending,
    the status line, the headers and the body, every redirect, and every retry with its pause.
    A retry whose pause would end after the deadline is not made. Any status other than a
    redirect or a retried one is returned for the caller to judge. Connection failures and
    timeouts are not retried: an offline run should fail fast.
    """
    retry = retry or DEFAULT_RETRY  # looked up per call, so a test can swap the module default
    all_headers = {"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})}
    for name, value in all_headers.items():
        if safe_header_value(value) is None:  # callers check; this is the last line of defence
            raise RequestError(f"refusing to send the {name} header: its value has control characters")
    deadline = time.monotonic() + timeout
    attempt = 0
    redirects = 0
    while True:
        resp = _exchange(method, url, body, all_headers, deadline, timeout)
        if resp.status in _REDIRECT_STATUSES:
            location = resp.headers.get("location")
            if not location:
                raise RequestError(f"HTTP {resp.status} redirect without a Location")
            if method != "GET" and resp.status not in (307, 308):
                raise RequestError(f"HTTP {resp.status} redirect would turn the {method} into a GET")
            redirects += 1
            if redirects > MAX_REDIRECTS:
                raise RequestError(f"more than {MAX_REDIRECTS} redirects")
            url = _check_redirect(url, location)
            continue
        if resp.status in RETRY_STATUSES:
            tries = "1 attempt" if attempt == 0 else f"{attempt + 1} attempts"
            if attempt >= retry.retries:
                raise RequestError(f"HTTP {resp.status} after {tries}")
            pause = retry.backoff(attempt, parse_retry_after(resp.headers.get("retry-after")))
            if time.monotonic() + pause >= deadline:
                raise RequestError(
                    f"HTTP {resp.status} after {tries}; the {timeout:g} s deadline leaves no time to retry"
                )
            retry.sleep(pause)
            attempt += 1
            continue
        return resp


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as delta seconds or an HTTP date -> seconds from now; None when absent/invalid."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # isdigit() alone is also true of "²", which float() refuses
        return float(value)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
        if when.tzinfo is None:  # HTTP dates are GMT by definition
            import datetime as _dt

            when = when.replace(tzinfo=_dt.timezone.utc)
        at = when.timestamp()
    except (TypeError, ValueError, IndexError, OverflowError, OSError):
        return None  # not a date, or one no clock holds (year 99999999999999999999: hunt 101 F1)
    return max(0.0, at - (time.time() if now is None else now))


class _Attempt:
    """One exchange, run on its own thread so that the caller can stop waiting at the deadline.

    A socket timeout bounds each read, not a sequence of reads: a server that sends one byte of
    the status line, or one header, every half second would never trip it. So the caller waits
    for the thread until the deadline, then shuts the connection down, which ends any read the
    thread is blocked in; a thread still resolving the host name is left to finish on its own.
    """

    def __init__(self, method: str, url: str, body: bytes | None, headers: Mapping[str, str], deadline: float) -> None:
        self.args = (method, url, body, headers, deadline)
        self.conn: http.client.HTTPConnection | None = None
        self.abandoned = False
        self.outcome: Response | BaseException | None = None

    def run(self) -> None:
        try:
            self.outcome = _once(self, *self.args)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            self.outcome = exc

    def abandon(self) -> None:
        self.abandoned = True  # set before looking at the socket: _once checks it after connecting
        conn = self.conn
        sock = conn.sock if conn is not None else None
        if sock is not None:
            # socket.socket's own shutdown: an SSLSocket's would also drop its TLS state under
            # the reading thread's feet.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _exchange(
    method: str, url: str, body: bytes | None, headers: Mapping[str, str], deadline: float, timeout: float
) -> Response:
    attempt = _Attempt(method, url, body, headers, deadline)
    thread = threading.Thread(target=attempt.run, name="nexlayer-lint request", daemon=True)
    thread.start()
    thread.join(max(0.0, deadline - time.monotonic()))
    if thread.is_alive() or isinstance(attempt.outcome, _DeadlinePassed):
        attempt.abandon()
        raise RequestError(f"no complete response within the {timeout:g} s deadline")
    if isinstance(attempt.outcome, BaseException):
        raise attempt.outcome
    assert attempt.outcome is not None
    return attempt.outcome


def _once(
    attempt: _Attempt, method: str, url: str, body: bytes | None, headers: Mapping[str, str], deadline: float
) -> Response:
    """One request and its whole response, on the attempt's thread."""
    target = check_url(url)

    def remaining() -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise _DeadlinePassed
        return left

    addresses = loopback_addresses(target.host) if target.scheme == "http" else []
    if target.scheme == "http" and not addresses:
        raise RequestError(
            f"refusing plain http to {quoted(target.host)}: it does not resolve to loopback "
            "addresses only, and https is required for other hosts"
        )
    conn = _connection(target, remaining())
    attempt.conn = conn
    # the host connected to: a proxy's failures are not the API's (hunt 101 F4)
    peer = f"the proxy {conn.host}" if conn.host != target.host else target.host
    try:
        if addresses:
            conn.sock = _connect_any(addresses, target.port, remaining())  # http.client then uses it as it is
        else:
            conn.connect()
        if attempt.abandoned:
            raise _DeadlinePassed
        sock = conn.sock  # kept: getresponse() may drop conn.sock when the server closes
        sock.settimeout(remaining())
        conn.request(method, target.path, body=body, headers=dict(headers))
        sock.settimeout(remaining())
        resp = conn.getresponse()
        declared = (resp.getheader("Content-Length") or "").strip().lstrip("0")
        # ASCII digits only (isdigit() is also true of "²"), and counted before int(), which
        # refuses a number of over 4,300 digits: ten digits are already more than 5 MiB.
        if declared.isascii() and declared.isdigit() and (len(declared) > 9 or int(declared) > MAX_BODY):
            raise RequestError(f"response too large ({server_text(declared)} bytes; the limit is 5 MiB)")
        chunks: list[bytes] = []
        size = 0
        # The response closes the socket itself once a Content-Length body is complete.
        while size <= MAX_BODY and not resp.isclosed():
            sock.settimeout(remaining())
            chunk = resp.read1(min(65536, MAX_BODY + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_BODY:
            raise RequestError("response too large (over 5 MiB)")
        if resp.length:  # (what the Content-Length still owes once the server closed: hunt 279 F1)
            raise RequestError(f"incomplete response ({size:,} of {size + resp.length:,} bytes)")
        return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, b"".join(chunks), url)
    except (RequestError, _DeadlinePassed):
        raise
    except TimeoutError:  # socket.timeout: a read or the connect ran out of the time left
        raise _DeadlinePassed from None
    except ConnectionRefusedError:
        raise RequestError(f"connection refused by {peer}") from None
    except socket.gaierror:
        raise RequestError(
            f"cannot resolve host {quoted(conn.host)}" + (f" ({peer})" if peer != target.host else "")
        ) from None
    except ssl.SSLCertVerificationError as exc:
        raise RequestError(
            f"TLS certificate verification failed for {quoted(target.host)} ({exc.verify_message})"
        ) from None
    except ssl.SSLError as exc:
        raise RequestError(f"TLS error with {quoted(target.host)} ({exc.reason or 'handshake failed'})") from None
    except http.client.HTTPException as exc:
        raise RequestError(f"malformed HTTP response ({type(exc).__name__})") from None
    except ValueError as exc:  # e.g. a host name IDNA cannot encode
        raise RequestError(f"invalid request ({type(exc).__name__})") from None
    except OSError as exc:
        if peer != target.host and str(exc).startswith("Tunnel connection failed"):
            # http.client's words for the proxy's answer to CONNECT (`407 Proxy Authentication Required`)
            said = _without_proxy_credentials(str(exc)[25:].strip(": "), target.host)
            raise RequestError(f"{peer} refused the tunnel ({server_text(said)})") from None
        raise RequestError(f"network error ({exc.strerror or type(exc).__name__})") from None
    finally:
        conn.close()


def _connect_any(addresses: list[str], port: int, timeout: float) -> socket.socket:
    """A socket connected to the first of `addresses` that accepts (localhost is often ::1 and
    127.0.0.1, and a local server may listen on only one of them)."""
    error: OSError = ConnectionRefusedError()
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout=timeout)
        except OSError as exc:
            error = exc
    raise error


def _connection(target: Target, timeout: float) -> http.client.HTTPConnection:
    if target.scheme == "http":
        return http.client.HTTPConnection(target.host, target.port, timeout=timeout)
    context = ssl.create_default_context()  # verification is always on: no option turns it off
    proxy = _proxy_for(target.host)
    if proxy:
        host, port, authorization = proxy
        conn = http.client.HTTPSConnection(host, port, timeout=timeout, context=context)
        conn.set_tunnel(target.host, target.port, {"Proxy-Authorization": authorization} if authorization else None)
        return conn
    return http.client.HTTPSConnection(target.host, target.port, timeout=timeout, context=context)


def _without_proxy_credentials(text: str, host: str) -> str:
    """A proxy's refusal with the credentials it was given starred: a proxy may quote back the
    Basic token urllib makes of HTTPS_PROXY's user-info (_proxy_for), or the password in it, or
    a key given as the user name with no password (`http://KEY:@proxy`) or a long one, a key
    too (`http://KEY:js_render=true@proxy`); each also percent-escaped, as HTTPS_PROXY may have
    written it (hunts 116 F2, 117 F5, 118 F5)."""
    import base64
    from urllib.parse import quote

    from nexlayer_lint.secrets import hider

    found = _proxy_for(host)
    if found is None or found[2] is None:
        return text
    token = found[2].split(" ", 1)[1]
    user, _, password = base64.b64decode(token).decode("utf-8", "replace").partition(":")
    secret = {password, user if not password or len(user) >= _LONG_QUERY_VALUE else ""} - {""}
    escaped = {
        case for value in secret for safe in ("", _USERINFO_SAFE) for case in _escape_cases(quote(value, safe=safe))
    }
    values = _in_both_cases({found[2], token, *secret, *escaped})
    # and one the proxy quotes cut short (`wrong password Pr0xyS3cr...`: hunt 203 F2), as a reply's
    return _cut_starts_hidden(hider(values, whole_words=False, stars=4)(text), values)


_USERINFO_SAFE = "!$&'()*+,;="  # RFC 3986's sub-delims: user-info may hold them unescaped


def _proxy_for(host: str) -> tuple[str, int, str | None] | None:
    """The https proxy from the environment (HTTPS_PROXY, NO_PROXY), as urllib would pick it:
    its host, port and, when its URL has user-info, the Basic Proxy-Authorization urllib sends."""
    if _may_be_loopback(host):
        return None
    from urllib.request import getproxies, proxy_bypass

    proxy = getproxies().get("https")
    if not proxy or proxy_bypass(host):
        return None
    try:
        parts = urlsplit(proxy if "://" in proxy else "http://" + proxy)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if parts is None or not parts.hostname:
        # going straight to the API would pass by a proxy the user set, as urllib never does (hunt 116 F6)
        raise RequestError("the https proxy set in the environment (HTTPS_PROXY) is not a valid URL")
    authorization = None
    if parts.username is not None:
        import base64
        from urllib.parse import unquote

        pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
        authorization = "Basic " + base64.b64encode(pair).decode("ascii")
    return parts.hostname, port or 8080, authorization


# ---------------------------------------------------------------------------------------------
# Text for messages


def quoted(text: Any) -> str:
    """Double-quoted, as every message quotes values."""
    return '"' + str(text).replace('"', '\\"') + '"'


def server_text(text: Any) -> str:
    """Server-provided text made safe to print: a string, no control characters, bounded."""
    text = _CONTROL.sub(" ", str(text)).strip()
    return text if len(text) <= _MAX_SERVER_TEXT else text[: _MAX_SERVER_TEXT - 1] + "…"
