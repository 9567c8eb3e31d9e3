"""`--remote`: the document to the Nexlayer API's `POST {api}/validate`, the answer to findings.

The payload is the document's data with secret values redacted (unless `--remote-send-secrets`);
each rejection detail becomes an NX901 at the path it names, a verdict that disagrees with the
local checks an NX902, and anything that went wrong one NX900.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from nexlayer_lint.http_client import (
    RequestError,
    RetryPolicy,
    as_is,
    credentials_hider,
    display_url,
    join_url,
    quoted,
    request,
    server_text,
)
from nexlayer_lint.lazy_regex import lazy
from nexlayer_lint.model import DataPath, Document, Problem, Span, format_path

if TYPE_CHECKING:
    from nexlayer_lint.secrets import Finders

_LINE1 = Span(1, 1, 1, 1)
# No list in a file has a billion items: a longer index (int() refuses one of over 4,300 digits)
# makes the server's path unreadable.
_MAX_INDEX_DIGITS = 9
_SEGMENT = lazy(r"""\[([0-9]+)\]|\[(?:"([^"]*)"|'([^']*)')\]|([^.\[\]]+)""")


class Endpoint:
    """What a run knows of one API endpoint: why it could not be reached earlier in the run
    (None: it could), so that a run of 100 files behind an API that is down waits out one
    deadline, not 100 (hunt 101 F5); and the secrets sent to it."""

    def __init__(self) -> None:
        self.cause: str | None = None
        # the secrets the run's files sent to it held (`--remote-send-secrets`), for a later reply
        # may quote an earlier file's (hunt 203 F3): in groups of sizes that double, each with its
        # finders, so each secret's are built again a logarithmic number of times (a scrubber
        # rebuilt over every earlier file made a run quadratic: hunt 204 F3)
        self._sent: list[tuple[set[str], Finders]] = []

    def remember(self, values: set[str]) -> None:
        from nexlayer_lint.secrets import values_finders

        group = set(values)
        while self._sent and len(self._sent[-1][0]) <= len(group):
            group |= self._sent.pop()[0]
        if group:
            self._sent.append((group, values_finders(group)))

    def scrub(self, text: str) -> str:
        """`text` with every secret sent and its echoes starred, all groups' at once (secrets.scrub_with)."""
        from nexlayer_lint.secrets import scrub_with

        return scrub_with(text, [finders for _, finders in self._sent]) if self._sent else text


def validate_remote(
    doc: Document,
    *,
    api_url: str,
    send_secrets: bool = False,
    timeout: float = 10,
    local_has_errors: bool,
    retry: RetryPolicy | None = None,
    endpoint: Endpoint | None = None,
) -> list[Problem]:
    """POST the document to {api}/validate: NX901 per rejection detail, NX902 on disagreement, NX900 on failure.
    After a request that failed (`endpoint.cause`), later documents are not sent."""
    url = join_url(api_url, "validate")
    if endpoint is not None and endpoint.cause is not None:
        return _failure(url, f"{endpoint.cause} (earlier in this run; not asked again)")
    if not isinstance(doc.data, dict):
        return _failure(url, "the file is not a mapping, so it was not sent")
    from nexlayer_lint.secrets import redact, scrubber, secret_texts

    payload = doc.data if send_secrets else redact(doc)
    try:
        body = json.dumps(payload, allow_nan=False).encode("ascii")  # \uXXXX escapes: lone surrogates survive
    except ValueError:
        return _failure(url, "the file holds a value JSON cannot carry (inf or nan), so it was not sent")
    # A server that was sent the secrets may quote one back, in any text of its reply that is
    # printed: a detail's message, its path (or field), the error, a redirect's target. Each goes
    # through the same scrub; the server's path is still read as written to find the line.
    scrub: Callable[[str], str]
    if send_secrets and endpoint is not None:
        endpoint.remember(secret_texts(doc))
        scrub = endpoint.scrub  # this file's secrets and every earlier file's
    else:
        scrub = scrubber(doc) if send_secrets else as_is
    clean = _and_then(scrub, credentials_hider(api_url))
    try:
        resp = request(
            "POST", url, body=body, headers={"Content-Type": "application/json"}, timeout=timeout, retry=retry
        )
    except RequestError as exc:  # no usable answer: down, too slow, 429 or 5xx after the retries
        if endpoint is not None:
            endpoint.cause = clean(str(exc))
        return _failure(url, clean(str(exc)))
    try:
        rejected = _verdict(resp.status, resp.body, clean)
    except RequestError as exc:  # an answer, about this file (the next one is asked again)
        return _failure(url, clean(str(exc)))
    problems = [
        _rejection(doc, raw_path, text, clean) if text is not None else _refused(resp.status)
        for raw_path, text in rejected[:MAX_REJECTIONS]
    ]
    if len(rejected) > MAX_REJECTIONS:  # a server's reply, however long, is not a file's findings
        more = len(rejected) - MAX_REJECTIONS
        problems.append(
            Problem("NX901", f"the Nexlayer API rejected {more:,} more details, not shown", (), span=_LINE1)
        )
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


# The rejections of one reply shown as findings: a 5 MiB reply may list 560,000 (hunt 35 F8).
MAX_REJECTIONS = 200


def _and_then(first: Callable[[str], str], second: Callable[[str], str]) -> Callable[[str], str]:
    return lambda text: second(first(text))


def _verdict(status: int, body: bytes, clean: Callable[[str], str] = as_is) -> list[tuple[Any, str | None]]:
    """[(path or None, message)] the API rejected (empty: accepted; a message None: refused
    without a reason); RequestError if not understood.

    A 400 or 422 is the API refusing the file, whatever its body: the OpenAPI gives /validate's
    400 ("Bad Request") no body at all, and the documented request is what we send, so a 400
    without a reason is still a refusal, never "could not ask" (which would let an invalid file
    pass). A 200 is read as the documented `{message}` / `{valid: false, errors}` or
    nexlayer-mcp's wrapper `{success, data: {valid, message?, errors?}}`; one we cannot read is
    a failure (NX900), never an acceptance.
    """
    if status not in (200, 400, 422):
        raise RequestError(f"HTTP {status}")
    refused = status != 200
    from nexlayer_lint.schema import not_json

    try:
        # NaN is no JSON: a 200 holding one is no acceptance (hunt 245 F3); a refusal's details
        # are read however its server writes numbers (Python's json writes `Infinity`: hunt 247 F3)
        answer = json.loads(body) if refused else json.loads(body, parse_constant=not_json)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        if refused:  # a proxy's or framework's plain "Bad Request"
            return [(None, None)]
        raise RequestError("the response is not valid JSON") from None
    if isinstance(answer, dict):
        answer = _unwrapped(answer)
    elif refused:
        return [(None, None)]
    else:
        raise RequestError("unexpected response shape (not a JSON object)")
    valid = answer.get("valid")
    error = answer.get("error")  # `"error": null` is none
    if not refused:
        if valid is not None and not isinstance(valid, bool):  # `"valid": "false"`: no verdict we can read
            raise RequestError('unexpected response shape ("valid" is not true or false)')
        if valid is True:
            return []  # an explicit verdict, whatever else the reply holds
        if answer.get("success") is False and valid is None and not _lists_errors(answer):
            # the wrapper says the call failed (`{success: false, error: "Unauthorized"}`, also
            # with an empty `errors`): the file was not judged, so this is no refusal either. The
            # reason is scrubbed before it is cut (a secret across the cut would show its start).
            reason = error if isinstance(error, str) else answer.get("message")
            why = f" ({_shown(reason, clean)})" if isinstance(reason, str) and reason.strip() else ""
            raise RequestError(f"the API answered success: false{why}")
        # a reply that lists errors is no acceptance, even without `valid: false` (hunt 35 F4:
        # `{message: "Validation failed", errors: [...]}` passed the file; FastAPI's `detail`
        # too, which _details reads: hunt 116 F5)
        lists_errors = any(answer.get(key) for key in _ERROR_LISTS)
        if valid is not False and error is None and not lists_errors:
            if not isinstance(answer.get("message"), str):
                raise RequestError('unexpected response shape (no "message")')
            return []
    found = _details(answer, refusing=refused or valid is False)
    if found is not None:
        return found
    if refused or valid is False:
        message = answer.get("message")  # `{valid: false, message: "..."}`: the only reason given
        return [(None, message if isinstance(message, str) and message.strip() else None)]
    raise RequestError(f'unexpected response shape for HTTP {status} (no "error" or "details")')


# The keys a reply lists its errors under: ours, express-validator's and FastAPI's (`detail`).
_ERROR_LISTS = ("details", "errors", "detail")


def _lists_errors(answer: dict) -> bool:
    """Whether a `success: false` reply lists the file's errors, so that it is a refusal, not a
    call that failed: `details` or `errors`, or a list of texts under FastAPI's `detail` (hunt
    122 F8), whose text alone (`"Not authenticated"`) is how FastAPI says a call failed (hunt 123
    F6)."""
    detail = answer.get("detail")
    return bool(answer.get("details") or answer.get("errors") or (isinstance(detail, list) and _listed(detail)))


def _unwrapped(answer: dict) -> dict:
    """nexlayer-mcp's `{success, data: {valid, message?, errors?}}` as the top-level form: the
    verdict in `data`, beside the rest of the reply (a top-level `error`); its errors listed in
    any key a rejection lists them in, FastAPI's `detail` too (hunt 118 F6)."""
    data = answer.get("data")
    if not (isinstance(data, dict) and any(key in data for key in ("valid", *_ERROR_LISTS))):
        return answer
    merged = {**answer, **data}
    # Neither level's refusal is undone by the other's keys: `{valid: false, data: {valid: true}}`
    # and `{errors: [...], data: {errors: []}}` passed the file (hunt 140 F3).
    for side in (answer, data):
        for key in _ERROR_LISTS:
            if side.get(key) and not merged.get(key):
                merged[key] = side[key]
    if any(_refuses(side) for side in (answer, data)):
        merged["valid"] = False
    return merged


def _refuses(level: dict) -> bool:
    """Whether one level of a reply refuses the file: `valid: false`, or errors listed without
    `valid: true` (which is an explicit verdict, whatever else its level holds). `errors` lists
    them in any form a rejection does (a list, places to texts, a text: hunt 142 F6); `details`
    and `detail` only as a list, as a mapping or a text there may be anything
    (`"details": {"requestId": "r-1"}`: hunt 141 F3)."""
    valid = level.get("valid")
    listed = any(
        (key == "errors" or isinstance(level.get(key), list)) and _listed(level.get(key)) for key in _ERROR_LISTS
    )
    return valid is False or (valid is not True and listed)


# Where the usual shapes of a rejection put an error's text and its place: the documented
# `{message, path}`, express-validator's `{msg, path}`, FastAPI's `{msg, loc: ["body", ...]}`.
_TEXT_KEYS = ("message", "msg", "error", "detail", "description", "reason")
_PLACE_KEYS = ("path", "field", "loc", "instancePath", "param")


def _details(body: dict, refusing: bool = True) -> list[tuple[Any, str | None]] | None:
    """[(path or None, message)] from a rejection body; None when the shape is not understood.

    `details`, `errors` (or FastAPI's `detail`) as a list of texts or of objects (_TEXT_KEYS,
    _PLACE_KEYS), a mapping of places to texts (`{"application.name": "too short"}`, or to lists
    of them), or one text; else `error`, a text or an object with one (hunt 59 F3, F4)."""
    # a list or a text first: a mapping may be anything (`"details": {"requestId": "r-1"}`), so
    # it is read as places and texts only when nothing else lists errors (hunt 61 F2)
    for mappings in (False, True):
        for key in ("details", "errors", "detail"):
            items = body.get(key)
            if isinstance(items, dict) != mappings or (mappings and key != "errors" and not refusing):
                continue  # `"details": {"requestId": "r-1"}` beside no refusal is no error (hunt 62 F4)
            found = _listed(items)
            if found:
                return found
    error = body.get("error")
    if isinstance(error, dict):
        return _listed([error]) or None
    if isinstance(error, str) and error.strip():
        return [(None, error)]
    return None


def _listed(items: Any) -> list[tuple[Any, str | None]]:
    """The (place, text) pairs in one field of a reply; a blank text is no text (hunt 62 F3)."""
    if isinstance(items, str):
        return [(None, items)] if items.strip() else []
    if isinstance(items, dict):
        return [(place, text) for place, value in items.items() for text in _texts(value)]
    out: list[tuple[Any, str | None]] = []
    for item in items if isinstance(items, list) else ():
        if _is_text(item):
            out.append((None, item))
        elif isinstance(item, dict):
            text = next((item[key] for key in _TEXT_KEYS if _is_text(item.get(key))), None)
            if text is not None:
                out.append((_place_of(item), text))
    return out


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _texts(value: Any) -> list[str]:
    if _is_text(value):
        return [value]
    return [item for item in value if _is_text(item)] if isinstance(value, list) else []


def _place_of(item: dict) -> Any:
    place = next((item[key] for key in _PLACE_KEYS if item.get(key) is not None), None)
    if isinstance(place, str) and place.startswith("/"):  # a JSON pointer: `/application/pods/0/image`
        place = [_pointer_part(part.replace("~1", "/").replace("~0", "~")) for part in place[1:].split("/")]
    if isinstance(place, list):  # FastAPI's `loc`: ["body", "application", "pods", 0, "name"]
        parts = place[1:] if place[:1] == ["body"] else place
        written = [_path_part(part) for part in parts]
        return None if None in written else "".join(str(step) for step in written).lstrip(".")
    return place


def _pointer_part(part: str) -> str | int:
    # ASCII digits only (`²` is isdigit() too), and few of them: int() refuses 5,000 (hunt 62 F1)
    return int(part) if part.isascii() and part.isdigit() and len(part) <= _MAX_INDEX_DIGITS else part


def _path_part(part: Any) -> str | None:
    """One step of a path as parse_api_path reads it: `[0]`, `.name`, or `["A.B"]` for a name
    with a dot or a bracket (a var's name may have one: hunt 62 F2); None when it cannot be written."""
    if isinstance(part, int) and not isinstance(part, bool):
        return f"[{part}]"
    if not isinstance(part, str) or not part:
        return None
    if not any(mark in part for mark in ".[]\"'"):
        return f".{part}"
    if '"' not in part:
        return f'["{part}"]'
    return f"['{part}']" if "'" not in part else None


# What of a reply's text is scrubbed: a message is printed cut to 300 characters, so the rest
# needs no scrub, and a 5 MB message built to match many secrets' pieces (a hostile server's)
# would cost a minute of scrubbing. Cut here, then scrubbed, then cut for printing: a secret
# across the last cut shows no more than its start within this margin, which is never printed.
_SCRUBBED = 1 << 14


def _shown(text: str, clean: Callable[[str], str]) -> str:
    return server_text(clean(text[:_SCRUBBED]))


def _rejection(doc: Document, raw_path: Any, text: str, clean: Callable[[str], str]) -> Problem:
    parsed = parse_api_path(raw_path)
    path, at, span = _place(doc, parsed)
    # Scrubbed before server_text cuts it short: a secret cut in two would no longer be found.
    where = _shown(format_path(parsed), clean) if parsed else ""
    said = quoted(_shown(text, clean))
    what = quoted(where) if where else "the file"
    message = f"the Nexlayer API rejected {what}: {said}"
    return Problem("NX901", message, path, at=at, span=span)


def _refused(status: int) -> Problem:
    return Problem(
        "NX901",
        "the Nexlayer API rejected the file without saying why" + (f" (HTTP {status})" if status != 200 else ""),
        (),
        hint="if it refuses every file, even a valid one, the API at --api-url may expect another request",
        span=_LINE1,
    )


def _failure(url: str, cause: str) -> list[Problem]:
    message = f"could not use {display_url(url)}: {cause}; only the local checks ran"
    return [Problem("NX900", message, (), hint="run again later, or drop --remote", span=_LINE1)]


def parse_api_path(text: Any) -> DataPath | None:
    """ "application.pods[0].image" -> ("application", "pods", 0, "image"); None if unparseable.

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
        if name is not None and name.isascii() and name.isdigit():  # ASCII: "²" is isdigit() too
            index = name
        if index is not None:
            if len(index) > _MAX_INDEX_DIGITS:
                return None
            parts.append(int(index))
        elif name is not None:
            parts.append(name)
        else:
            parts.append(dq if dq is not None else sq)
        pos = match.end()
    return tuple(parts) or None


def _place(doc: Document, path: DataPath | None) -> tuple[DataPath, Literal["key", "value"], Span | None]:
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
