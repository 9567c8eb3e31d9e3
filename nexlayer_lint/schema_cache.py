"""A schema from the network (`--schema remote` or a URL) through a disk cache.

`GET` the schema, keep it for `schema-ttl-hours`, revalidate it with its ETag / Last-Modified
after that, and fall back to the cached copy (else the caller's bundled schema) when the
network fails. Files are written atomically; a cache file that is corrupt, a symlink or not a
usable schema is ignored, and so is metadata that is not what this module writes.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import math
import os
import stat
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nexlayer_lint.config import resolve_api_url
from nexlayer_lint.http_client import (
    MAX_BODY,
    RequestError,
    RetryPolicy,
    as_is,
    check_url,
    credentials_hider,
    display_ref,
    display_url,
    join_url,
    quoted,
    request,
    safe_header_value,
    server_text,
)
from nexlayer_lint.model import SchemaInfo


def url_for(spec: str, api_url: str | None) -> str:
    """The URL that `--schema remote` (the API's GET /schema) or `--schema URL` means."""
    return join_url(resolve_api_url(api_url), "schema") if spec == "remote" else spec


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


# The cache's own random key, which names its files (cache_key).
KEY_FILE = "cache-key"
_KEY_HEX = 64  # 32 random bytes, written as hex


def cache_key(url: str, *, create: bool = False) -> str | None:
    """The full URL's HMAC-SHA256 under the cache's own key: two schemas both called schema.json
    never collide (CVE-2024-53848), nor two URLs that differ only in a query or a password. A
    keyed hash, not the URL's sha256: `schema fetch`, `schema path` and reports print the name,
    and a password or `?token=` in the URL could be guessed offline from a plain hash of it
    (the host and path are public). Not the URL without its credentials either: `?v=2` and
    `?v=1`, or two users' tokens, may be served different schemas. None when the cache has no
    key and `create` is false (then nothing is cached under it either)."""
    key = _cache_secret(create=create)
    if key is None:
        return None
    return hmac.new(key, url.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def cached_schema_path(url: str, *, create: bool = False) -> Path | None:
    """Where the cached copy of `url` lives (or would live): the schema exactly as served."""
    key = cache_key(url, create=create)
    return None if key is None else cache_dir() / f"{key}.json"


def meta_path(url: str, *, create: bool = False) -> Path | None:
    """The cached copy's metadata: validators (ETag, Last-Modified), fetch time, digest, version."""
    key = cache_key(url, create=create)
    return None if key is None else cache_dir() / f"{key}.meta.json"


def _cache_secret(*, create: bool) -> bytes | None:
    """The key in the cache directory; with `create`, a new one where it is missing or not one
    this module writes. Two runs that create it at once each write a whole key and the last one
    stays: the other's copy is then not found and is fetched again, nothing worse."""
    path = cache_dir() / KEY_FILE
    with contextlib.suppress(OSError, _Unusable, ValueError):
        text = _read_limited(path).decode("ascii")
        if len(text) == _KEY_HEX and all(c in "0123456789abcdef" for c in text):
            return bytes.fromhex(text)
    if not create:
        return None
    import secrets as random_bytes  # not nexlayer_lint.secrets

    key = random_bytes.token_bytes(_KEY_HEX // 2)
    try:
        # mkstemp creates the file 0600: the key is the user's alone, in a 0700 directory.
        _atomic_write(_prepare_cache_dir() / KEY_FILE, key.hex().encode("ascii"))
    except OSError:
        return None
    return key


@dataclass(frozen=True)
class RemoteSchema:
    """What `--schema remote|URL` obtained. `schema` None: the caller falls back to the bundled one."""

    schema: dict | None
    info: SchemaInfo | None
    warning: str | None  # the NX900 message: what failed and what is used instead
    # Something worth saying that is not a failure (e.g. the cache could not be written).
    note: str | None = None


def load_remote_schema(
    url: str, *, ttl_hours: float = 24, timeout: float = 10, retry: RetryPolicy | None = None
) -> RemoteSchema:
    """The schema at `url`: from the cache while fresh, else asked for (conditionally when cached)."""
    try:
        check_url(url)
    except RequestError as exc:
        return RemoteSchema(None, None, f"could not fetch the schema: {exc}; using the bundled schema")
    cached, ignored = _read_cache(url)
    if cached and cached.fresh(ttl_hours, time.time()):
        # named by its URL, as when it was fetched (hunt 59 F5); "cache" says where it came from
        return RemoteSchema(cached.schema, cached.info("cache", display_url(url)), None)
    return _fetch(url, cached, ignored, timeout=timeout, retry=retry)


def refresh_schema(url: str, *, timeout: float = 10, retry: RetryPolicy | None = None) -> RemoteSchema:
    """`schema fetch`: always asks the server (conditionally, so an unchanged schema costs a 304)."""
    try:
        check_url(url)
    except RequestError as exc:
        return RemoteSchema(None, None, f"could not fetch the schema: {exc}; using the bundled schema")
    cached, ignored = _read_cache(url)
    return _fetch(url, cached, ignored, timeout=timeout, retry=retry)


def schema_problem(schema: Any) -> str | None:
    """Why `schema` is not usable as our schema (None when it is), decided before it is cached:
    the checks every schema we did not write gets (schema.build_validator: shape, depth, remote
    $refs, ECMA-262 patterns that search in linear time, the metaschema), so a hostile /schema
    is refused once, not cached for a day."""
    if not isinstance(schema, dict):
        return "it is not a JSON object"
    # Iterative on purpose: a hostile schema nested thousands deep must not blow the stack.
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key in ("$ref", "$dynamicRef", "$recursiveRef"):
                ref = node.get(key)
                if isinstance(ref, str) and not ref.startswith("#"):
                    # A validator must never reach for the network or the disk behind our back.
                    return f"it has a {key} to {quoted(server_text(display_ref(ref)))}, which is not inside the schema"
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    from nexlayer_lint.schema import SchemaLoadError, build_validator

    try:
        validator = build_validator(schema, check_schema=True)
    except SchemaLoadError as exc:
        return exc.message
    if not describes_application(schema):
        # A server that answers `{}`, or some other document, must not switch the schema step off:
        # every file would pass it.
        return 'it does not describe "application", the top-level key of every Nexlayer file'
    return _canary_problem(validator)


# What any real Nexlayer schema says of a few files, whatever its version: naming `application`
# is not enough (`{"properties": {"application": true}}` names it and accepts everything), so a
# downloaded schema is tried on these before it is used or cached. Six small files, once per
# schema read (a fetch, or a run's cache read), never per file linted.
_GOOD_POD = {"name": "web", "image": "nginx:1.27", "path": "/", "servicePorts": [80]}
_MUST_REFUSE: tuple[tuple[str, Any], ...] = (
    ("a file without application", {}),
    ("an application that is not a mapping", {"application": "shop"}),
    ("an application without name or pods", {"application": {}}),
    ("pods that are not a list", {"application": {"name": "shop", "pods": "web"}}),
    ("a pod without an image", {"application": {"name": "shop", "pods": [{"name": "web", "servicePorts": [80]}]}}),
)
_MUST_ACCEPT = {"application": {"name": "shop", "pods": [_GOOD_POD]}}


def _canary_problem(validator: Any) -> str | None:
    """Why the schema cannot be Nexlayer's, judged by what it says of the files above."""
    try:
        for what, canary in _MUST_REFUSE:
            if next(iter(validator.iter_errors(canary)), None) is None:
                return f"it accepts {what}, which no Nexlayer schema does"
        if next(iter(validator.iter_errors(_MUST_ACCEPT)), None) is not None:
            return f"it refuses a minimal valid file ({json.dumps(_MUST_ACCEPT)})"
    except Exception as exc:  # noqa: BLE001 - a schema we did not write: failing to judge is a refusal
        return f"validating a test file with it failed ({type(exc).__name__})"
    return None


def describes_application(schema: dict) -> bool:
    """Whether the schema says something of `application`: in its root's `properties`, or those
    of a schema the root reaches by a local `$ref` or an `allOf` item (a generated schema often
    starts with `{"$ref": "#/$defs/..."}`). A few steps at most: a real schema needs one or two."""
    from nexlayer_lint.schemawalk import resolve

    nodes: list[Any] = [schema]
    for _ in range(8):
        if not nodes:
            return False
        node = nodes.pop()
        if not isinstance(node, dict):
            continue
        properties = node.get("properties")
        if isinstance(properties, dict) and "application" in properties:
            return True
        all_of = node.get("allOf")
        if isinstance(all_of, list):
            nodes.extend(all_of)
        if "$ref" in node:
            nodes.append(resolve(schema, node["$ref"]))
    return False


# ---------------------------------------------------------------------------------------------
# The cached copy


class _Unusable(Exception):
    """Why a cache file is not read: its text is the reason."""


# the metadata's validators, by the response header each comes from
_VALIDATORS = {"etag": "etag", "last_modified": "last-modified"}


@dataclass(frozen=True)
class _Cached:
    schema: dict
    raw: bytes
    path: Path
    meta: dict = field(default_factory=dict)  # empty when missing or not matching the file

    def fetched_at(self) -> float | None:
        """When it was fetched; None for a value no clock gives (not a number, NaN, out of range)."""
        value = self.meta.get("fetched_at")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        # the range first: math.isfinite of an integer past float's range raised (hunt 74 F1)
        if not 0 <= value < 1e11 or not math.isfinite(value):  # 1e11 s: the year 5138
            return None
        return float(value)

    def fresh(self, ttl_hours: float, now: float) -> bool:
        fetched = self.fetched_at()
        # A fetch time in the future (clock change, tampering) does not count as fresh, nor does
        # metadata we would not have written: a validator that is no header text (hunt 74 F3).
        return (
            fetched is not None
            and fetched <= now + 60
            and now - fetched < ttl_hours * 3600
            and all(self.meta.get(key) is None or safe_header_value(self.meta[key]) for key in _VALIDATORS)
        )

    def validators(self) -> dict[str, str]:
        """The conditional-request headers from the metadata, each only if it is safe to send."""
        headers = {}
        etag, modified = safe_header_value(self.meta.get("etag")), safe_header_value(self.meta.get("last_modified"))
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        return headers

    def info(self, source: str, location: str) -> SchemaInfo:
        return _info(source, location, self.schema, self.raw, self.meta)

    def age(self) -> str:
        fetched = self.fetched_at()
        if fetched is None:
            return ""
        return f" fetched {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(fetched))}"


def _read_limited(path: Path) -> bytes:
    """Read a cache file without following a symlink, and at most MAX_BODY + 1 bytes; only a
    regular file (opened without waiting, so a FIFO put there cannot hang the run)."""
    if path.is_symlink():
        raise _Unusable("it is a symbolic link")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise _Unusable("it is not a regular file")
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(MAX_BODY + 1)
    if len(data) > MAX_BODY:
        raise _Unusable("it is larger than 5 MiB")
    return data


def _read_cache(url: str) -> tuple[_Cached | None, str | None]:
    """The cached copy of `url`, and why an existing copy was ignored (None if none or fine)."""
    path = cached_schema_path(url)
    if path is None:  # no key: nothing was ever cached here
        return None, None
    try:
        raw = _read_limited(path)
    except (FileNotFoundError, NotADirectoryError):
        return None, None
    except _Unusable as exc:
        return None, f"ignored the cached schema {quoted(str(path))}: {exc}"
    except OSError as exc:
        return None, f"ignored the cached schema {quoted(str(path))}: {exc.strerror or 'unreadable'}"
    from nexlayer_lint.schema import not_json

    try:
        schema = json.loads(raw, parse_constant=not_json)
    except (ValueError, RecursionError):
        return None, f"ignored the cached schema {quoted(str(path))}: it is not valid JSON"
    hide = credentials_hider(url)  # a served schema may quote the URL's key back, in texts or patterns
    problem = schema_problem(schema)
    if problem:
        return None, f"ignored the cached schema {quoted(str(path))}: {hide(problem)}"
    meta: dict = {}
    try:
        loaded = json.loads(_read_limited(path.with_name(f"{path.stem}.meta.json")))
        # The pair is written in two steps; a meta file from another process's write is ignored.
        if isinstance(loaded, dict) and loaded.get("sha256") == hashlib.sha256(raw).hexdigest():
            meta = loaded
    except (OSError, _Unusable, ValueError, RecursionError):
        pass
    return _Cached(_texts_hidden(schema, hide), raw, path, _texts_hidden(meta, hide)), None


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
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _prepare_cache_dir() -> Path:
    directory = cache_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    if directory.is_symlink() or not directory.is_dir():
        raise OSError(f"{quoted(str(directory))} is not a plain directory")
    return directory


def _write_cache(url: str, raw: bytes, meta: dict) -> str | None:
    """Store the schema and its metadata; the reason when that was impossible."""
    try:
        _prepare_cache_dir()
        schema_path, meta_file = cached_schema_path(url, create=True), meta_path(url)
        if schema_path is None or meta_file is None:
            raise OSError("its key could not be written")
        _atomic_write(schema_path, raw)
        _atomic_write(meta_file, json.dumps(meta, sort_keys=True).encode("utf-8"))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return (
            f"could not write the schema cache in {quoted(str(cache_dir()))} ({reason}); "
            "it will be fetched again next run"
        )
    return None


# ---------------------------------------------------------------------------------------------
# GET


def _validators_of(resp: Any, earlier: dict) -> dict[str, str | None]:
    """The validators a response gives that may be sent back as they are (a server's header could
    hold a line break), else the `earlier` metadata's that may (a 304 need not repeat them)."""
    return {
        key: safe_header_value(resp.headers.get(header)) or safe_header_value(earlier.get(key))
        for key, header in _VALIDATORS.items()
    }


def _fetch(
    url: str, cached: _Cached | None, ignored: str | None, *, timeout: float, retry: RetryPolicy | None
) -> RemoteSchema:
    shown, hide = display_url(url), credentials_hider(url)
    headers = cached.validators() if cached else {}
    try:
        resp = request("GET", url, headers=headers, timeout=timeout, retry=retry)
        if resp.status == 304 and cached and headers:
            # the validators that may be sent again (a 304 may give new ones); one we would not have
            # written is dropped, or the copy would stay stale for good (hunt 74 F3)
            meta = {**cached.meta, **_validators_of(resp, cached.meta), "fetched_at": time.time()}
            note = _write_cache(url, cached.raw, meta)
            return RemoteSchema(cached.schema, _info("url", shown, cached.schema, cached.raw, meta), ignored, note)
        if resp.status != 200:
            raise RequestError(f"HTTP {resp.status}")
        data = _parse_json(resp.body)
        schema, version = _unwrap(data)
        wrapped = schema is not data  # (a wrapper without a version too: hunt 205 F3)
        problem = schema_problem(schema)
        if problem:
            raise RequestError(f"the response is not a usable schema: {problem}")
        schema, version = _texts_hidden(schema, hide), version if version is None else hide(version)
    except RequestError as exc:  # a server may quote the URL's key back (a redirect's target)
        failed = f"could not fetch the schema from {quoted(shown)}: {hide(str(exc))}"
        if cached:
            return RemoteSchema(
                cached.schema, cached.info("cache", shown), f"{failed}; using the cached copy{cached.age()}"
            )
        return RemoteSchema(None, None, "; ".join(filter(None, (failed, ignored, "using the bundled schema"))))
    # the schema itself, which `schema path` names for editors (hunt 204 F2); one with a number
    # JSON reads as infinite (`1e400`) cannot be written back as JSON (json writes `Infinity`,
    # which made every later run ignore the cache: hunt 203 F1), and is not cached
    try:
        raw = json.dumps(schema, allow_nan=False).encode("utf-8") if wrapped else resp.body
    except ValueError:
        why = "it holds a number JSON reads as infinite, which cannot be written back"
        return RemoteSchema(
            schema,
            _info("url", shown, schema, resp.body, {"url": shown, "version": version}),
            ignored,
            f"did not cache the schema from {quoted(shown)}: {why}; it will be fetched again next run",
        )
    meta = {
        "url": shown,
        # Only validators that can be sent back as they are: a server's header could hold a line break.
        **_validators_of(resp, {}),
        "fetched_at": time.time(),
        "sha256": hashlib.sha256(raw).hexdigest(),
        "version": version,
    }
    note = _write_cache(url, raw, meta)
    return RemoteSchema(schema, _info("url", shown, schema, raw, meta), ignored, note)


def _parse_json(body: bytes) -> Any:
    from nexlayer_lint.schema import not_json

    try:
        return json.loads(body, parse_constant=not_json)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise RequestError("the response is not valid JSON") from None


def _unwrap(data: Any) -> tuple[Any, str | None]:
    """Accept the schema itself, or the `{data: {schema, version}}` wrapper some clients expect."""
    if isinstance(data, dict) and "$schema" not in data and "properties" not in data:
        inner = data.get("data")
        if isinstance(inner, dict) and isinstance(inner.get("schema"), dict):
            version = inner.get("version")
            return inner["schema"], version if isinstance(version, str) else None
    return data, None


# The keys whose strings a report or a hover prints as they are, and validation never reads.
_TEXT_KEYS = frozenset({"description", "title", "$comment", "examples", "version"})


def _texts_hidden(node: Any, hide: Callable[[str], str], text: bool = False, names: bool = False) -> Any:
    """`node` (a schema, or the cache's meta) with the URL's credentials starred in what is text:
    the strings under _TEXT_KEYS and the vendor `x-` keys (`x-messages`, `x-hints`), which a
    server may quote the key back in (hunt 140 F1); never a keyword validation reads (a starred
    pattern is no pattern), nor under a property named so (`properties: {version: ...}`: `names`,
    hunt 141 F5). Nested no deeper than schema_problem allows."""
    if hide is as_is:
        return node
    if isinstance(node, str):
        return hide(node) if text else node
    if isinstance(node, list):
        return [_texts_hidden(item, hide, text) for item in node]
    if isinstance(node, dict):
        return {
            key: _texts_hidden(
                value,
                hide,
                text or (not names and (key in _TEXT_KEYS or str(key).startswith("x-"))),
                names=not text and not names and key in _NAMED_SUBSCHEMAS,
            )
            for key, value in node.items()
        }
    return node


# The keywords whose mapping's keys are names (of properties, patterns, definitions), not keywords.
_NAMED_SUBSCHEMAS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})


def _info(source: str, location: str, schema: dict, raw: bytes, meta: dict) -> SchemaInfo:
    """Which schema was used, for reports; `location` a file path or a URL fit to print."""
    return SchemaInfo(source, location, _version_of(schema, meta), hashlib.sha256(raw).hexdigest())


def _version_of(schema: dict, meta: dict) -> str:
    for value in (meta.get("version"), schema.get("version"), schema.get("x-version")):
        if isinstance(value, str) and value.strip():
            return server_text(value)[:64]
    return "unversioned"
