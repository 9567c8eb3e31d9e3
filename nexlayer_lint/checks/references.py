"""References from vars to pods: `<pod>.pod` host names and `${pod:port}` (NX208, NX209).

The references themselves are found once per document, in `App.references` (checks/app.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from nexlayer_lint.checks.app import LONG_PORT, App, Pod, Reference
from nexlayer_lint.checks.common import describe, value_offset
from nexlayer_lint.checks.declare import Finding, rule
from nexlayer_lint.edits import verbatim
from nexlayer_lint.lazy_regex import lazy
from nexlayer_lint.model import Edit, Fix
from nexlayer_lint.secrets import in_secret
from nexlayer_lint.suggest import closest


@rule("NX208", "unknown-pod-reference", "error", "a var refers to a pod that does not exist")
def unknown_pod_reference(app: App) -> Iterator[Finding]:
    """A `<pod>.pod` host or `${pod:port}` that names no pod of the application cannot resolve."""
    names = sorted(app.pods_by_name)
    suggested = 0
    for ref in app.references:
        if ref.target is not None:
            continue
        # A did-you-mean costs a comparison with every pod: the first MAX_SUGGESTED get one.
        close = closest(ref.name.lower(), names, cutoff=0.75) if suggested < MAX_SUGGESTED else None
        suggested += 1
        hint = f'did you mean "{close}"? ' if close else ""
        # a look-alike letter (a Cyrillic one in `ap\u0445`) is invisible in most fonts: name it
        foreign = next((char for char in ref.name if not char.isascii()), None)
        if foreign is not None:
            hint = f'"{foreign}" (U+{ord(foreign):04X}) is no ASCII letter; {hint}'
        secret = in_secret(app.doc, ref.var.path, ref.start, ref.end)  # then its text is not quoted
        what = "a pod that does not exist" if secret else f'pod "{ref.name}", which does not exist'
        yield Finding(
            f"{describe(app.doc, ref.var.path)} refers to {what}",
            path=ref.var.path,
            hint=f"{'' if secret else hint}pods: {_some(names)}",
            offset=value_offset(app.doc, ref.var.path, ref.start, ref.end),
            fix=None if secret or not close else _refer_to(app, ref, app.pods_by_name[close]),
        )


# Unknown references that get a did-you-mean, per file: a file with more has more than typos wrong.
MAX_SUGGESTED = 50
# A hint names this many pods at most: an application of 250 pods would get 250 names per finding.
LISTED_PODS = 10


def _some(names: list[str]) -> str:
    """`a, b, c`, or the first LISTED_PODS names and how many more."""
    if len(names) <= LISTED_PODS:
        return ", ".join(names)
    return f"{', '.join(names[:LISTED_PODS])} and {len(names) - LISTED_PODS} more"


def _refer_to(app: App, ref: Reference, pod: Pod) -> Fix | None:
    """Unsafe (the var then reaches another host): the reference names the pod it was probably
    meant to, the did-you-mean of the hint."""
    span = verbatim(app.doc, ref.var.path)
    name = pod.data["name"]
    if span is None or _HOST_NAME.fullmatch(name) is None:
        return None  # a pod named `m ongo` (NX104's to report) is no host name to write
    col = span.col + len(app.doc.positions[ref.var.path].style or "") + ref.start
    where = span._replace(col=col, end_col=col + ref.end - ref.start)
    return Fix(f'Refer to pod "{name}"', (Edit(where, name),), "unsafe")


# A name the fix may write as a host in `<name>.pod`: a DNS label (lower-case letters, digits, `-`).
_HOST_NAME = lazy(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


@rule("NX209", "unexposed-port", "warning", "a var refers to a port the pod does not expose")
def unexposed_port(app: App) -> Iterator[Finding]:
    """A reference to a port the pod does not list in servicePorts reaches nothing; one outside
    1 to 65535 is no port at all (an error, whatever the pod exposes)."""
    # each pod's ports once, however many references name it; a message lists LISTED_PODS of
    # them at most (a pod of 10,000 ports and as many references took 14 s: hunt 104 F1)
    exposed: dict[int, tuple[set[int], str]] = {}
    for ref in app.references:
        if ref.port is not None and not 1 <= ref.port <= 65535:
            # `postgres://db.pod:98765432101@host`: a user `db.pod` and a password the message
            # would quote; a secret's name and digits are not written out
            secret = in_secret(app.doc, ref.var.path, ref.start, ref.port_end)
            pod = "a pod" if secret else f'pod "{ref.name}"'
            yield Finding(
                f"{describe(app.doc, ref.var.path)} refers to {'a port' if secret else _out_of_range(ref)} of {pod}, "
                "which is not a port number (1 to 65535)",
                path=ref.var.path,
                severity="error",
                hint=f"write the port {pod} listens on"
                + (
                    f" (its servicePorts: {_exposed(ref.target, exposed)[1]})"
                    if ref.target is not None and _exposed(ref.target, exposed)[0] and not secret
                    else ""
                ),
                offset=value_offset(app.doc, ref.var.path, ref.port_start, ref.port_end),
            )
            continue
        if ref.target is None or ref.port is None:
            continue
        ports, listed = _exposed(ref.target, exposed)
        if not ports or ref.port in ports:
            continue
        target_name = ref.target.data["name"]
        port = "a port" if in_secret(app.doc, ref.var.path, ref.port_start, ref.port_end) else f"port {ref.port}"
        yield Finding(
            f'{describe(app.doc, ref.var.path)} refers to {port} of pod "{target_name}", which exposes only {listed}',
            path=ref.var.path,
            hint=f"use one of the pod's servicePorts ({listed}), "
            f'or add {"it" if port == "a port" else ref.port} to servicePorts of pod "{target_name}"',
            offset=value_offset(app.doc, ref.var.path, ref.port_start, ref.port_end),
        )


# The digits of a port a message writes out when it is too long to be read as a number (LONG_PORT).
SHOWN_DIGITS = 20


def _out_of_range(ref: Reference) -> str:
    """`port 123456`; a port of more digits than app.py converts as written (`port 0001234567`),
    or by its length when it is longer than a message should be."""
    if ref.port != LONG_PORT:
        return f"port {ref.port}"
    digits = ref.var.value[ref.port_start : ref.port_end]
    return f"port {digits}" if len(digits) <= SHOWN_DIGITS else f"a port of {len(digits):,} digits"


def _exposed(pod: Pod, known: dict[int, tuple[set[int], str]]) -> tuple[set[int], str]:
    """The ports `pod` lists, and how a message lists them; worked out once per pod (`known`)."""
    if pod.position not in known:
        ports = _ports(pod)
        known[pod.position] = (set(ports), _some([str(port) for port in ports]))
    return known[pod.position]


def _ports(pod: Pod) -> list[int]:
    ports = pod.data.get("servicePorts")
    if not isinstance(ports, list):
        return []
    # `80.0` is the port 80 to the schema (a JSON integer), so here too (hunt 54 F2)
    return [int(port) for port in ports if _is_whole_number(port)]


def _is_whole_number(value: object) -> bool:
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, int) and not isinstance(value, bool)
