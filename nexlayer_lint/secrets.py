"""What counts as a secret in a nexlayer.yaml, and how to keep secret values out of all output."""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from nexlayer_lint.model import DataPath, Document, get_in

# Name parts that make a var secret, as sequences of upper-case parts: `API_KEY`, `apiKey` and
# `api-key` all split into ("API", "KEY").
_SECRET_TERMS: tuple[tuple[str, ...], ...] = (
    ("PASSWORD",), ("PASSWD",), ("SECRET",), ("TOKEN",), ("API", "KEY"), ("APIKEY",),
    ("PRIVATE", "KEY"), ("ACCESS", "KEY"), ("CLIENT", "SECRET"), ("CREDENTIALS",), ("CREDENTIAL",),
)
# `DB_PASS`, `SMTP_PASS`: common enough to count, but only as the last part (not `PASS_THROUGH`).
_LAST_PART_TERMS = frozenset({"PASS"})
# Parts that may follow a secret term and still name the secret itself (`SECRET_KEY_BASE`,
# `STRIPE_SECRET_KEY`, `GOOGLE_CREDENTIALS_JSON`). Any other part makes the name describe
# something about the secret instead: `TOKEN_URL`, `JWT_SECRET_EXPIRES_IN`,
# `PASSWORD_MIN_LENGTH`, `AWS_ACCESS_KEY_ID`, `POSTGRES_PASSWORD_FILE` (a path) are not secret.
_SECRET_SUFFIXES = frozenset({"KEY", "KEYS", "VALUE", "BASE", "B64", "BASE64", "HEX", "JSON", "PEM", "RAW", "STRING", "STR"})

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[^A-Za-z0-9]+")
# `${NAME}` (a dashboard secret, or any other interpolation) and `<% NAME %>` (a Nexlayer template).
PLACEHOLDER = re.compile(r"\$\{[^}]*\}|<%.*?%>")
_ALNUM = re.compile(r"[A-Za-z0-9]")
_DOC_PLACEHOLDER = re.compile(r"<[^<>%]+>")

REDACTED = "<redacted>"
# Secret values shorter than this are masked where they are, but not searched for elsewhere.
MIN_SEARCHED = 4


def name_parts(name: str) -> list[str]:
    """`dbPassword` -> ["DB", "PASSWORD"]; `OPENAI_API_KEY` -> ["OPENAI", "API", "KEY"]."""
    parts: list[str] = []
    for chunk in _SEPARATORS.split(name):
        parts.extend(part.upper() for part in _CAMEL.split(chunk) if part)
    return parts


def is_secret_var_name(name: object) -> bool:
    """Whether a var of this name holds a secret (see the term and suffix tables above)."""
    # The type is tested here, not by catching what the cache raises for a list or a mapping: a
    # TypeError from a bug inside the predicate would then read as "not secret" and unmask values.
    return isinstance(name, str) and _is_secret_name(name)


@functools.lru_cache(maxsize=4096)  # asked for every var, several times per file; names repeat
def _is_secret_name(name: str) -> bool:
    parts = name_parts(name)
    if parts and parts[-1] in _LAST_PART_TERMS:
        return True
    for start in range(len(parts)):
        for term in _SECRET_TERMS:
            end = start + len(term)
            if tuple(parts[start:end]) == term and all(part in _SECRET_SUFFIXES for part in parts[end:]):
                return True
    return False


def is_reference(value: object) -> bool:
    """A `${NAME}` or `<% ... %>` placeholder (or several), with nothing literal around it.

    Any letter or digit outside the placeholders makes the value a literal: `s3cr3t${X}` still
    puts part of a secret in the file.
    """
    if not isinstance(value, str):
        return False
    # Exact shortcut for the usual `${NAME}`: when the first `}` ends the string, PLACEHOLDER's
    # leftmost match is the whole value, so nothing is left to hold a letter or digit.
    if value.startswith("${") and value.find("}") == len(value) - 1:
        return True
    if not PLACEHOLDER.search(value):
        return False
    return not _ALNUM.search(PLACEHOLDER.sub("", value))


def is_literal_secret(value: object) -> bool:
    """A value that would put a credential in the file: non-empty, scalar, not a reference."""
    if isinstance(value, str):  # the usual case, asked first: no str is also a bool or a number
        if not value.strip() or is_reference(value):
            return False
        # `<your token here>`: a documentation placeholder holds nothing to leak.
        return _DOC_PLACEHOLDER.fullmatch(value.strip()) is None
    if isinstance(value, bool) or value is None:
        return False
    return isinstance(value, (int, float))


def _secret_items(data: Any) -> Iterator[tuple[DataPath, Any]]:
    """(path, value) of every secret value, in document order. The value is the node the path
    leads to, as `get_in(data, path)` would find it (every step here exists and has its type)."""
    app = data.get("application") if isinstance(data, dict) else None
    if not isinstance(app, dict):
        return
    login = app.get("registryLogin")
    if isinstance(login, dict) and "personalAccessToken" in login:
        yield ("application", "registryLogin", "personalAccessToken"), login["personalAccessToken"]
    pods = app.get("pods")
    if not isinstance(pods, list):
        return
    for i, pod in enumerate(pods):
        if not isinstance(pod, dict):
            continue
        base: DataPath = ("application", "pods", i)
        secrets = pod.get("secrets")
        if isinstance(secrets, list):
            for j, secret in enumerate(secrets):
                if isinstance(secret, dict) and "data" in secret:
                    yield base + ("secrets", j, "data"), secret["data"]
        variables = pod.get("vars")
        if isinstance(variables, dict):
            for name, value in variables.items():
                if is_secret_var_name(name):
                    yield base + ("vars", name), value
        elif isinstance(variables, list):
            for k, item in enumerate(variables):
                if not isinstance(item, dict):
                    continue
                if "value" in item and is_secret_var_name(item.get("key")):
                    yield base + ("vars", k, "value"), item["value"]
                # `- DB_PASSWORD: x`, the single-key list items some files use
                for name, value in item.items():
                    if name not in ("key", "value") and is_secret_var_name(name):
                        yield base + ("vars", k, name), value


# One-entry cache keyed on the Document object (compared with `is`, never hashed: its `data` is a
# mutable dict, but a loaded document's data does not change). The engine asks for the secrets of
# one document several times (masking, scrubbing messages) before it moves on to the next.
_items_cache: tuple[Document | None, list[tuple[DataPath, Any]]] = (None, [])


def _document_secrets(doc: Document) -> list[tuple[DataPath, Any]]:
    """`_secret_items(doc.data)` as a list, computed once per document; callers must not change it."""
    global _items_cache
    cached_doc, items = _items_cache
    if cached_doc is doc:
        return items
    items = list(_secret_items(doc.data))
    _items_cache = (doc, items)
    return items


def secret_paths(doc: Document) -> list[DataPath]:
    """Paths of the document's secret values: they must never appear in any output."""
    return [path for path, _ in _document_secrets(doc)]


def is_secret_path(path: DataPath, data: Any = None) -> bool:
    """Whether `path` (or a node inside it) is a secret value, for callers without a Document.

    Without `data`, a list-form `vars[k].value` counts as secret, because its key cannot be
    seen: hiding a harmless value costs less than printing a password.
    """
    path = tuple(path)
    if path[:3] == ("application", "registryLogin", "personalAccessToken"):
        return True
    if len(path) < 5 or path[:2] != ("application", "pods") or not isinstance(path[2], int):
        return False
    kind, rest = path[3], path[4:]
    if kind == "secrets":
        return len(rest) >= 2 and isinstance(rest[0], int) and rest[1] == "data"
    if kind != "vars":
        return False
    if isinstance(rest[0], str):
        return is_secret_var_name(rest[0])
    if len(rest) < 2:
        return False
    if rest[1] == "value":
        if data is None:
            return True
        item = get_in(data, path[:5])
        return isinstance(item, dict) and is_secret_var_name(item.get("key"))
    return rest[1] != "key" and is_secret_var_name(rest[1])


def secret_strings(document: Document) -> set[str]:
    """Every scalar under a secret path as text (and each line of a multi-line one): what no
    message may carry, whatever produced it."""
    found: set[str] = set()
    stack = [value for _, value in _document_secrets(document)]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend([*value.keys(), *value.values()])
        elif isinstance(value, list):
            stack.extend(value)
        elif value is not None and not isinstance(value, bool):
            text = str(value)
            found.add(text)
            found.update(line.strip() for line in text.splitlines())
    return found


def mask_text(doc: Document) -> str:
    """The document's text with every secret value's characters replaced by `*`.

    Lines keep their length and newlines stay, so code frames built from the masked text line up
    with the real file. References (`${DB_PASSWORD}`) are shown: they hold no secret and say where
    the value comes from. Quotes around a single-line value stay, the indentation of a block
    scalar's lines too.
    """
    items = _document_secrets(doc)
    lines: list[str] = []
    changed = False
    for path, value in items:
        if is_reference(value):
            continue
        located = doc.positions.get(path)
        if located is None:
            continue
        if not lines:
            lines = doc.text.splitlines(keepends=True)
        span, quoted = located.value, located.style in ("'", '"')
        for number in range(span.line, span.end_line + 1):
            if number > len(lines):
                break
            line = lines[number - 1]
            body = line.rstrip("\r\n")
            start = span.col - 1 if number == span.line else len(body) - len(body.lstrip(" \t"))
            end = span.end_col - 1 if number == span.end_line else len(body)
            if quoted and span.line == span.end_line and end - start >= 2:
                start, end = start + 1, end - 1
            if start >= end:
                continue
            lines[number - 1] = body[:start] + "*" * (end - start) + body[end:] + line[len(body):]
            changed = True
    text = "".join(lines) if changed else doc.text
    # The same password often sits inside another value (`postgresql://app:hunter2@db.pod/x`):
    # mask every other whole-word occurrence too. This may hide a harmless word that happens to
    # equal a secret (`postgres`), which costs a little readability and leaks nothing.
    values = _literal_values(items)
    return hide_values(text, values, whole_words=True) if values else text


_WORD_CHAR = re.compile(r"[A-Za-z0-9_]")
# Up to this many values, one C-speed regex scan each; beyond, one pass over the text for all.
_FEW_VALUES = 32


def hide_values(text: str, values: Iterable[str], *, whole_words: bool, stars: int | None = None) -> str:
    """`text` with every occurrence of the values (of MIN_SEARCHED chars or more) starred out.

    `whole_words`: only where no letter, digit or `_` touches either end. `stars`: a fixed-width
    replacement (messages); None keeps each occurrence's width, so code frames still line up.
    """
    return hider(values, whole_words=whole_words, stars=stars)(text)


def hider(values: Iterable[str], *, whole_words: bool, stars: int | None = None) -> Callable[[str], str]:
    """`hide_values` with its index built once, for many texts; linear in each text however many
    values there are (a file with thousands of secret vars must not make masking quadratic)."""
    ordered = sorted({v for v in values if len(v) >= MIN_SEARCHED}, key=len, reverse=True)
    if not ordered:
        return lambda text: text
    if len(ordered) <= _FEW_VALUES:
        edge = (r"(?<![A-Za-z0-9_])", r"(?![A-Za-z0-9_])") if whole_words else ("", "")
        patterns = [re.compile(edge[0] + re.escape(value) + edge[1]) for value in ordered]

        pairs = list(zip(ordered, patterns))

        def find(text: str) -> list[tuple[int, int]]:
            # `value in text` first: every match of a pattern contains its value, so this is exact.
            return [m.span() for value, pattern in pairs if value in text for m in pattern.finditer(text)]
    else:
        by_prefix: dict[str, list[str]] = {}
        for value in ordered:
            by_prefix.setdefault(value[:MIN_SEARCHED], []).append(value)

        def find(text: str) -> list[tuple[int, int]]:
            spans = []
            for start in range(len(text) - MIN_SEARCHED + 1):
                candidates = by_prefix.get(text[start:start + MIN_SEARCHED])
                if candidates is None or (whole_words and start and _WORD_CHAR.match(text, start - 1)):
                    continue
                for value in candidates:  # longest first: one match covers the shorter ones here
                    end = start + len(value)
                    if text.startswith(value, start) and not (whole_words and _WORD_CHAR.match(text, end)):
                        spans.append((start, end))
                        break
            return spans

    def hide(text: str) -> str:
        spans = find(text)
        if not spans:
            return text
        # Overlapping occurrences merge, so a value that starts inside another is hidden too.
        out, last = [], 0
        for start, end in sorted(spans):
            if end <= last:
                continue
            start = max(start, last)
            out += [text[last:start], "*" * (end - start) if stars is None else "*" * stars]
            last = end
        out.append(text[last:])
        return "".join(out)

    return hide


def _literal_values(items: Iterable[tuple[DataPath, Any]]) -> set[str]:
    """The single-line literal secret values, long enough to search for without masking noise."""
    found = set()
    for _, value in items:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str) and is_literal_secret(value) and "\n" not in value and len(value.strip()) >= MIN_SEARCHED:
            found.add(value.strip())
    return found


def redact_data(data: Any) -> Any:
    """A deep copy of `data` with every literal secret value replaced by a placeholder of its type."""
    redacted = copy.deepcopy(data)
    for path, _ in list(_secret_items(redacted)):
        parent = get_in(redacted, path[:-1])
        value = parent[path[-1]]
        if isinstance(value, str):
            if not is_reference(value) and value:
                parent[path[-1]] = REDACTED
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            parent[path[-1]] = type(value)(0)
        elif isinstance(value, (dict, list)):
            # a wrong shape, but it may still hold the secret: keep the type, drop the content
            parent[path[-1]] = type(value)()
    # A password also sits inside other values (`postgresql://app:hunter2@db.pod/x`): star it there too.
    values = _literal_values(_secret_items(data))
    return _map_strings(redacted, hider(values, whole_words=True)) if values else redacted


def _map_strings(data: Any, change: Callable[[str], str]) -> Any:
    if isinstance(data, str):
        return change(data)
    if isinstance(data, dict):
        return {key: _map_strings(value, change) for key, value in data.items()}
    if isinstance(data, list):
        return [_map_strings(item, change) for item in data]
    return data


# `key:` anywhere on a line (block or flow style), the key plain or quoted; its value is the rest.
_KEY = re.compile(r"""(?:^|(?<=[\s{,\-]))(?P<q>["']?)(?P<key>[A-Za-z_][\w.\-]*)(?P=q)[ \t]*:(?=[ \t]|$)[ \t]*""")
_INDENT = re.compile(r"[ \t\-]*")


def mask_unparsed(text: str) -> str:
    """Mask secret-looking values in text that could not be parsed, line by line.

    Without a parse there are no data paths, so this is deliberately greedy: the rest of the
    line after `personalAccessToken:`, `data:`, a secret-looking var name, or the `value:` of a
    `- key: DB_PASSWORD` item, and the more-indented lines under such a key (a block scalar).
    Hiding too much in the code frame of a broken file costs little; printing a token costs a lot.
    """
    lines = text.splitlines(keepends=True)
    found: set[str] = set()
    block_indent: int | None = None  # mask lines indented deeper than this (a block value)
    secret_item_indent: int | None = None  # inside a `- key: SECRET_NAME` item: its `value:` is secret
    for number, line in enumerate(lines):
        body = line.rstrip("\r\n")
        indent = len(_INDENT.match(body).group()) if body.strip() else None  # type: ignore[union-attr]
        if block_indent is not None and (indent is None or indent > block_indent):
            if body.strip():
                start = len(body) - len(body.lstrip(" \t"))
                lines[number] = body[:start] + "*" * (len(body) - start) + line[len(body):]
            continue
        block_indent = None
        if indent is None:
            continue
        if secret_item_indent is not None and (indent < secret_item_indent or body.lstrip().startswith("-")):
            secret_item_indent = None
        matches = list(_KEY.finditer(body))
        # A `key: SECRET_NAME` makes the item's `value:` secret, even one written before it on
        # the same line (`{value: x, key: DB_PASSWORD}`). The name is the value's first flow item:
        # the rest of a broken one-line file is not a name, however secret its words look.
        for match in matches:
            if match.group("key") == "key" and is_secret_var_name(_first_item(body[match.end():])):
                secret_item_indent = len(_INDENT.match(body).group())  # type: ignore[union-attr]
                _mask_pending(lines, number, secret_item_indent)
                break
        for match in matches:
            key, value = match.group("key"), body[match.end():]
            if key == "key":
                continue
            secret = key in ("personalAccessToken", "data") or is_secret_var_name(key) or (
                key == "value" and secret_item_indent is not None)
            if not secret:
                continue
            literal = value.split(" #")[0].strip().strip("\"'")
            if not literal or literal[0] in "|>":
                block_indent = len(_INDENT.match(body).group())  # type: ignore[union-attr]
            elif not is_reference(literal):
                # the whole rest, and its first item as a flow mapping or a broken `a: b` would end it
                found.update((literal, _first_item(literal)))
                # to the end of the line: in a broken flow mapping the value's end is a guess
                lines[number] = body[:match.end()] + "*" * (len(body) - match.end()) + line[len(body):]
            break
    masked = "".join(lines)
    return hide_values(masked, found, whole_words=True)


def _first_item(value: str) -> str:
    """The text up to the end of a flow item (`,` `}` `]`) or a `key: ` inside it, unquoted."""
    return re.split(r"[,}\]]|:[ \t]", value.split(" #")[0])[0].strip().strip("\"'")


def _mask_pending(lines: list[str], number: int, item_indent: int) -> None:
    """A `value:` written before its `key: SECRET_NAME` in the same list item."""
    for back in range(number - 1, max(number - 20, -1), -1):
        body = lines[back].rstrip("\r\n")
        match = re.match(r"(?P<lead>[ \t\-]*)value[ \t]*:[ \t]*(?P<value>.*)", body)
        if match and not is_reference(match.group("value").strip().strip("\"'")):
            start = match.start("value")
            lines[back] = body[:start] + "*" * (len(body) - start) + lines[back][len(body):]
        if body.lstrip().startswith("-") or (body.strip() and len(_INDENT.match(body).group()) < item_indent):  # type: ignore[union-attr]
            break
