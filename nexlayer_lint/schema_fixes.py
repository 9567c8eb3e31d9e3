"""The fixes of the schema step's findings, built by its mapper (schema._Mapper) from the same
positions as the findings: a misspelt key renamed (NX101, NX102), a value of the wrong type
written as the right one (NX103), a value the schema refuses corrected when the mistake is a
known one (NX104). Each rule's page says what its fixes change (rules/NX10x-*.md, "## Fix").

Every builder takes `fits`, whether a value is valid where the fix puts it (the mapper checks it
against that value's subschema): a fix is offered only when the value it writes ends the finding,
instead of trading it for another.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from nexlayer_lint.edits import (
    insert,
    line_text,
    own,
    quote,
    replace_value,
    scalar_text,
    usual_quote,
    verbatim,
    written,
)
from nexlayer_lint.lazy_regex import lazy
from nexlayer_lint.model import DataPath, Document, Edit, Fix, LastDocument, Span, get_in
from nexlayer_lint.secrets import document_secrets, find_secrets, in_secret, overlaps

PODS: DataPath = ("application", "pods")
Fits = Callable[[Any], bool]
_DIGITS = lazy(r"\s*([0-9]{1,10})\s*")
# The header of a block scalar: its indicator, chomping and indentation, then blanks or a comment.
_BLOCK_HEADER = lazy(r"[|>](?:[-+][1-9]?|[1-9][-+]?)?(?P<rest>(?:[ \t]+(?:#.*)?)?)")


def rename_key(doc: Document, path: DataPath, guess: str | None, mapping: dict, fits: Fits) -> Fix | None:
    """A misspelt key (NX102, or NX101 for a required one) renamed to the did-you-mean key, in
    the key's own quotes; none when that key is there already (a duplicate), the key's text is
    not the key (escapes, a flow key over lines), or its value is not valid under the new name
    (`env:` with Kubernetes' `- name:` items renamed `vars:` would trade a warning for an error)."""
    located = doc.positions.get(path)
    span = located.key if located is not None else None
    if guess is None or guess in mapping or span is None or span.line != span.end_line or not fits(mapping[path[-1]]):
        return None
    if not (guess.isascii() and guess.replace("_", "").replace("-", "").isalnum()):
        return None  # schema keys are words; anything else might need quoting
    written_key = doc.lines[span.line - 1][span.col - 1 : span.end_col - 1] if span.line <= len(doc.lines) else ""
    quoted = len(written_key) > 1 and written_key[0] in "'\"" and written_key[-1] == written_key[0]
    mark = written_key[:1] if quoted else ""
    if written_key != f"{mark}{path[-1]}{mark}":
        return None
    if not _secrets_stay_secret(doc, path, guess):
        return None  # `username_pass: x` renamed `username`: its diff would show x (hunt 278 F1)
    return Fix(f'Rename to "{guess}"', (Edit(span, f"{mark}{guess}{mark}"),))


def _secrets_stay_secret(doc: Document, path: DataPath, guess: str) -> bool:
    """Whether every secret the value under `path` holds (as a whole, or a part of a string) is
    still one under the key `guess`: a key may be what makes its value secret (`commandSecret`,
    a registry login's `username_pass`), and the new one may not."""
    secrets = document_secrets(doc)
    under = [secret for secret in secrets.found if secret.path[: len(path)] == path]
    if not under or any(path[:end] in secrets.whole for end in range(len(path))):
        return True  # nothing secret there, or inside a secret as a whole wherever its key
    renamed_path = path[:-1] + (guess,)
    found = find_secrets(_renamed(doc.data, path, guess))
    whole = {secret.path for secret in found if secret.start is None}
    parts = {(secret.path, secret.start, secret.end) for secret in found if secret.start is not None}
    for secret in under:
        moved = renamed_path + secret.path[len(path) :]
        if any(moved[:end] in whole for end in range(len(moved) + 1)):
            continue
        if secret.start is not None and (moved, secret.start, secret.end) in parts:
            continue
        # a structure read anew, with secrets of its own (`secret:` renamed `secrets`)
        structure = secret.start is None and isinstance(get_in(doc.data, secret.path), (dict, list))
        if structure and any(other.path[: len(moved)] == moved for other in found):
            continue
        return False
    return True


def _renamed(data: Any, path: DataPath, guess: str) -> Any:
    """A copy of `data` along `path` with the last key renamed `guess`, in its place."""
    if len(path) == 1:
        return {(guess if key == path[0] else key): value for key, value in data.items()}
    inner = _renamed(data[path[0]], path[1:], guess)
    if isinstance(data, dict):
        return {**data, path[0]: inner}
    return [inner if index == path[0] else item for index, item in enumerate(data)]


def wrong_type(doc: Document, path: DataPath, instance: Any, expected: list, secret: bool, fits: Fits) -> Fix | None:
    """NX103: a number or boolean where text is wanted, quoted as written (`WORKERS: 4` ->
    `"4"`, `VERSION: 1.10` -> `"1.10"`); a quoted port number unquoted (`"80"` -> `80`); a lone
    port made a list (`servicePorts: 80` -> `[80]`)."""
    if "string" in expected and isinstance(instance, (bool, int, float)):
        found = scalar_text(doc, path)
        if found is None or doc.positions[path].style != "" or not fits(found[1]):
            return None
        return Fix("Quote the value to make it text", quote(found[0], usual_quote(doc)))
    number = _number(instance)
    if path and path[-1] == "servicePorts" and expected == ["array"] and (number is not None or _is_int(instance)):
        found = scalar_text(doc, path)
        if found is None or secret or not fits([int(number or instance)]):
            return None
        span, text = found
        if _is_int(instance) and text == str(instance):
            return Fix(
                "Make it a list of one port", (insert(span.line, span.col, "["), insert(span.line, span.end_col, "]"))
            )
        if _is_int(instance) and text.isdigit():  # `080`: as the port's number, not a look-alike (NX005)
            return Fix("Make it a list of one port", (Edit(span, f"[{instance}]"),))
        return Fix("Make it a list of one port", (Edit(span, f"[{number}]"),)) if verbatim(doc, path) else None
    if ("integer" in expected or "number" in expected) and number is not None and not secret:
        quoted = verbatim(doc, path)
        if quoted is None or doc.positions[path].style == "" or not fits(int(number)):
            return None
        return Fix("Remove the quotes: it is a number", (Edit(quoted, number),))
    return None


def _number(instance: Any) -> str | None:
    """A string that holds only a whole number (blanks aside), as the number's plain text."""
    match = _DIGITS.fullmatch(instance) if isinstance(instance, str) else None
    return str(int(match.group(1))) if match else None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def invalid_value(doc: Document, path: DataPath, instance: str, fits: Fits, suggestion: str | None) -> Fix | None:
    """NX104, for a value that breaks a pattern: a block scalar whose only fault is its trailing
    line break, written on one line (safe); a pod's `path` without its leading "/" (safe); an
    application or pod name in its suggested form, with every reference to the pod (unsafe); a
    volume size in whole Mi or Gi (safe when the size stays exactly the same, else unsafe).
    `suggestion`: the value the hint offers."""
    located = doc.positions.get(path)
    if located is None:
        return None
    if located.style in ("|", ">"):
        return one_line(doc, path, instance, fits)
    if len(path) == 4 and path[:2] == PODS and path[3] == "path":
        span = verbatim(doc, path)
        if span is None or instance.startswith("/") or not fits("/" + instance):
            return None
        if not instance:  # nothing says which route was meant: the root makes the pod public (as NX201's fix)
            return Fix(
                'Make it the root path "/"', (insert(span.line, span.col + len(located.style or ""), "/"),), "unsafe"
            )
        return Fix('Add the leading "/"', (insert(span.line, span.col + len(located.style or ""), "/"),))
    if suggestion is None or not fits(suggestion):
        return None
    if path == ("application", "name"):
        edit = replace_value(doc, path, suggestion)
        return Fix(f'Rename the application to "{suggestion}"', (edit,), "unsafe") if edit else None
    if len(path) == 4 and path[:2] == PODS and path[3] == "name":
        return rename_pod(doc, path, instance, suggestion)
    if len(path) == 6 and path[:2] == PODS and path[3] == "volumes" and path[5] == "size":
        edit = replace_value(doc, path, suggestion)
        return (
            Fix(f'Write the size as "{suggestion}"', (edit,), "safe" if _same_size(instance) else "unsafe")
            if edit
            else None
        )
    return None


def one_line(doc: Document, path: DataPath, instance: str, fits: Fits) -> Fix | None:
    """`name: |` + `shop` -> `name: shop`: the block scalar's one line, without the line break
    the block adds, when that line keeps the rule the value breaks. A comment on the header
    line stays."""
    value = instance.rstrip("\n")
    located = own(doc, path)
    if located is None or not value or "\n" in value or not fits(value):
        return None
    header = _BLOCK_HEADER.fullmatch(line_text(doc, located.value.line)[located.value.col - 1 :])
    new = written(value, "", block=True)  # a block scalar is never inside a flow collection
    last = located.value.end_line - (1 if located.value.end_col == 1 else 0)
    lines = range(located.value.line + 1, min(last, len(doc.lines)) + 1)
    content = [number for number in lines if doc.lines[number - 1].strip()]
    if header is None or new is None or len(content) != 1 or doc.lines[content[0] - 1].strip() != value:
        return None
    line = content[0]
    rest = header.group("rest") if "#" in header.group("rest") else ""
    header_line = Span(located.value.line, 1, located.value.line, len(doc.lines[located.value.line - 1]) + 1)
    if rest and overlaps(doc, header_line):
        return None  # the edit would write out the comment's secret, which reports print (hunt 150 F2)
    span = located.value._replace(end_line=line, end_col=len(doc.lines[line - 1]) + 1)
    return Fix("Write the value on one line, without the line break", (Edit(span, new + rest),))


class _Pods(NamedTuple):
    names: dict[str, int]  # pod names in lower case -> how many pods have it
    references: dict[DataPath, list[Any]]  # a pod's path -> the references to it (checks.app.Reference)
    written: dict[str, int]  # each name written where a reference puts one (_written_names)
    # each text after a `-` of a written name -> how many written names end with `-` and it
    # (`shop-web.pod` names pod `web`): one look-up per rename, not a pass over every name
    written_after_dash: dict[str, int]


_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
_LONGEST_NAME = 253


def _written_names(text: str) -> dict[str, int]:
    """How often each name is written where a reference to a pod would put it, valid name or not
    (`my_web.pod`, `${Web:80}`): before `.pod`, or as `${name:` or `${name}`. So a rename can tell
    a reference the checks do not read as one. One pass: a name is read back from its `.pod` no
    further than the last `.pod` (hunt 52 F1: `.pod.pod...` read 253 characters back each time),
    and forward from its `${` no further than the next `$`."""
    counts: dict[str, int] = {}
    at, last_end = text.find(".pod"), 0
    while at >= 0:
        start = at
        while start > last_end and at - start < _LONGEST_NAME and text[start - 1] in _NAME_CHARS:
            start -= 1
        counts[text[start:at]] = counts.get(text[start:at], 0) + 1
        last_end = at + 4
        at = text.find(".pod", last_end)
    at = text.find("${")
    while at >= 0:
        end = at + 2
        while end < len(text) and end - at < _LONGEST_NAME and text[end] in _NAME_CHARS and text[end] != ".":
            end += 1
        if text[end : end + 1] in (":", "}"):
            counts[text[at + 2 : end]] = counts.get(text[at + 2 : end], 0) + 1
        at = text.find("${", at + 2)
    return counts


_pods_of: LastDocument[_Pods] = LastDocument()  # every pod name finding asks


def _pods(doc: Document) -> _Pods:
    """The application's pod names and the references to each pod, worked out once per document."""
    cached = _pods_of.get(doc)
    if cached is not None:
        return cached
    from nexlayer_lint.checks.app import App  # the one definition of a reference to a pod

    app = App.of(doc)
    names: dict[str, int] = {}
    for pod in app.pods:
        names[pod.name.lower()] = names.get(pod.name.lower(), 0) + 1
    references: dict[DataPath, list[Any]] = {}
    for ref in app.references:
        if ref.target is not None:
            references.setdefault(ref.target.path, []).append(ref)
    written = _written_names(doc.text)
    if "\\" in doc.text:  # a double-quoted escape writes what the text does not (`"\\x24{my_web:80}"`: hunt 223 F1)
        _add_escaped_names(doc, written)
    after_dash: dict[str, int] = {}
    for name, count in written.items():
        for suffix in {name[at + 1 :] for at, char in enumerate(name) if char == "-"}:
            after_dash[suffix] = after_dash.get(suffix, 0) + count
    return _pods_of.put(doc, _Pods(names, references, written, after_dash))


def _add_escaped_names(doc: Document, written: dict[str, int]) -> None:
    """Count the names each double-quoted value with an escape writes only once decoded
    (`"\\x24{my_web:80}"`, over lines too: hunt 224 F1), beside those its text writes."""
    starts = doc.line_starts
    for where, located in doc.positions.items():
        value = doc.get(*where) if located.style == '"' else None
        span = located.value
        if not isinstance(value, str) or span.end_line > len(starts):
            continue
        raw = doc.text[starts[span.line - 1] + span.col - 1 : starts[span.end_line - 1] + span.end_col - 1]
        if "\\" not in raw:
            continue
        seen = _written_names(raw)
        for name, count in _written_names(value).items():
            if count > seen.get(name, 0):
                written[name] = written.get(name, 0) + count - seen.get(name, 0)


def another_pod_named(doc: Document, path: DataPath, name: str) -> bool:
    """Whether `path` is a pod's name and a pod other than that one is called `name`, in any case."""
    if len(path) != 4 or path[:2] != PODS or path[3] != "name":
        return False
    own = doc.get(*path)
    others = _pods(doc).names.get(name.lower(), 0) - (isinstance(own, str) and own.lower() == name.lower())
    return others > 0


def rename_pod(doc: Document, path: DataPath, old: str, new: str) -> Fix | None:
    """A pod renamed, with every `<pod>.pod` and `${pod:port}` reference to it (none when one of
    them is not written character for character, or another pod has the new name)."""
    if another_pod_named(doc, path, new):
        return None
    pods = _pods(doc)
    edits = [replace_value(doc, path, new)]
    read = 0  # the references the checks read as ones to this pod, written with its old name
    for ref in pods.references.get(path[:3], ()):
        written_name = ref.name[-len(old) :] if len(ref.name) > len(old) else ref.name  # `<app>-<pod>.pod`
        read += written_name == old
        if in_secret(doc, ref.var.path, ref.start, ref.end):
            continue  # a password that reads `Db.pod` (`app:Db.pod@Db.pod`): a fix never changes a secret
        if written_name == new:
            continue
        span = verbatim(doc, ref.var.path)
        if span is None:
            return None
        start = span.col + len(doc.positions[ref.var.path].style or "") + ref.end - len(written_name)
        edits.append(Edit(span._replace(col=start, end_col=start + len(written_name)), new))
    if None in edits:
        return None
    references = len(edits) - 1
    # a reference the checks do not read as one (`${Web:80}`, `my_web.pod`: hunt 51 F1) would be
    # left naming no pod, and NX208 would not say so: no fix then
    written = pods.written.get(old, 0) + pods.written_after_dash.get(old, 0)
    if written > read:
        return None
    also = f", and the {references} reference{'s' if references > 1 else ''} to it" if references else ""
    return Fix(f'Rename the pod to "{new}"{also}', tuple(edit for edit in edits if edit is not None), "unsafe")


_SIZE = lazy(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([KMGTkmgt])[iI][Bb]?\s*")
_MI_PER_UNIT = {"k": 1 / 1024, "m": 1, "g": 1024, "t": 1024 * 1024}


def _same_size(size: str) -> bool:
    """Whether a size is in binary units and a whole number of Mi (`1.5Gi`, `1Ti`, `2GiB`): then
    writing it in Mi or Gi keeps it exactly. `2G` or `2GB` is 2 x 1000^3 bytes, not 2Gi."""
    match = _SIZE.fullmatch(size)
    if match is None:
        return False
    mebibytes = float(match.group(1)) * _MI_PER_UNIT[match.group(2).lower()]
    return mebibytes == int(mebibytes) and mebibytes > 0
