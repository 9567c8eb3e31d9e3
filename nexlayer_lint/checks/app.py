"""What the checks read of one document, worked out once: `App.of(doc)`.

The engine builds one App per document and hands it to every check, so the views several checks
need (the pods with their vars, the references from vars to pods, the strings that hold
templates) are computed once, here, and nowhere else. A check must not change the App or the
data it points into.
"""

from typing import Any, NamedTuple

from nexlayer_lint.lazy_regex import lazy
from nexlayer_lint.model import DataPath, Document, PathPart, names_in

PODS: DataPath = ("application", "pods")

# A var's reference to another pod: a host name `db.pod` (`http://api.pod:8000/v1`,
# `postgresql://u:p@db.pod:5432/x`, `db.pod.` with DNS's final dot), or the 2026 form
# `${api:8000}`. Not `docs.pod.example.com` (`.pod` ends the host name) nor `foo.db.pod` (pod
# names have no dots); `${DB_PASSWORD}` and `${HOST:-x}` are dashboard secrets or shell
# defaults, as a pod name starts with a lower-case letter. A host name is read with any letter
# (`ap\u0445.pod`, whose last letter is Cyrillic), so that NX208 reports a name no pod can have
# instead of skipping it; not with `_`, which no host name has but Perl's documentation files do
# (`lib/my_module.pod`), nor after a `/` that is not `//`: a path's file
# (`http://web.pod/intro.pod`, `/usr/share/perl5/pod/perlvar.pod`: hunt 78 F2). `.POD` is `.pod`:
# a host name has no case. A combining accent (`d\u0301b.pod`) belongs to the name, as letters do
# (Python's `\w` has no marks). Linear: a host name can start only where a run of name
# characters starts.
# A port is its whole run of digits (`web.pod:123456` is no port 12345), read as a number with
# its leading zeros (`web.pod:0080` is port 80).
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"  # the combining blocks
_REFERENCE = lazy(
    rf"(?<![\w.{_MARKS}-])(?<!(?<!/)/)(?P<host>[^\W_](?:[^\W_]|[{_MARKS}-])*(?<!-))\.(?i:pod)(?:\.(?![\w-]))?(?![\w.-])"
    r"(?::(?P<host_port>\d+))?"
    # any lower-case letter, as the host form: a look-alike `${w\u0435b:80}` names no pod (hunt 155 F3)
    rf"|\$\{{(?P<pod>[^\W\d_A-Z](?:[^\W_A-Z]|[{_MARKS}-])*):(?P<port>\d+)\}}"
)


class Var(NamedTuple):
    """One environment variable of a pod, in any form of `vars`, with the path of its value."""

    name: Any  # a str in any sensible file; a mapping key may be another scalar
    value: Any
    path: DataPath


class Pod(NamedTuple):
    """One pod that is a mapping (anything else is the schema's to report)."""

    position: int  # in application.pods, from 0
    data: dict[str, Any]
    path: DataPath
    name: str  # its `name`, or `#<n>` (1-based) when it has none
    vars: tuple[Var, ...]


class Reference(NamedTuple):
    """A reference to a pod in the value of a var: `db.pod`, `api.pod:8000` or `${api:8000}`."""

    var: Var
    name: str  # as written
    port: int | None  # LONG_PORT for a number of more than PORT_DIGITS digits (leading zeros aside)
    start: int  # where the name is in the var's value
    end: int
    port_start: int  # where the port is, or the name when there is no port
    port_end: int
    target: Pod | None  # the pod it names, if there is one


class App(NamedTuple):
    """A document as the checks read it."""

    doc: Document
    pods: tuple[Pod, ...]
    # The pods that have a name, by their name in lower case (host names ignore case); of two
    # with one name, the first (as NX207 keeps the first and reports the others).
    pods_by_name: dict[str, Pod]
    # Every reference to a pod in the vars, in order; none when no pod has a name (every
    # reference would be unknown, and the schema reports the missing names).
    references: tuple[Reference, ...]
    # Every string value under `application` (keys are not values) that contains `<%`, with its
    # path, in document order: every template (`<% URL %>`, `<% REGISTRY %>`) is in one of them.
    template_strings: tuple[tuple[DataPath, str], ...]

    @classmethod
    def of(cls, doc: Document, earlier: "App | None" = None) -> "App":
        """The App of `doc`. `earlier`: the App of the Document that `doc` was made from by
        scalar_edit.edited (the language server's last keystroke), whose pods the edit left
        alone are the same objects here: their vars, references and templates are not read again."""
        application = doc.get("application")
        fields = application if isinstance(application, dict) else {}
        pods = _pods(fields.get("pods"), earlier.pods if earlier is not None else ())
        by_name: dict[str, Pod] = {}
        for pod in pods:
            if isinstance(pod.data.get("name"), str):
                by_name.setdefault(pod.data["name"].lower(), pod)
        alone = _left_alone(doc, pods, earlier)
        references = tuple(_references(pods, by_name, fields.get("name"), alone)) if by_name else ()
        templates: list[tuple[DataPath, str]] = []
        if isinstance(application, str) and "<%" in application:
            templates.append((("application",), application))
        elif isinstance(application, dict) and alone is not None:
            _collect_templates_again(application, templates, alone)
        elif isinstance(application, (dict, list)):
            _collect_templates(application, ("application",), templates)
        return cls(doc, pods, by_name, references, tuple(templates))


class _Alone(NamedTuple):
    """What an earlier App found in each pod an edit left alone, by the pod's position."""

    references: dict[PathPart, list[Reference]]
    templates: dict[PathPart, list[tuple[DataPath, str]]]


def _left_alone(doc: Document, pods: tuple[Pod, ...], earlier: "App | None") -> _Alone | None:
    """The references and templates of the pods that are the earlier App's own objects; None
    when there are none, or when a name changed (every reference would resolve anew)."""
    if earlier is None or names_in(earlier.doc.data) != names_in(doc.data):
        return None
    same = {pod.position for pod, before in zip(pods, earlier.pods, strict=True) if pod is before}
    if not same:
        return None
    alone = _Alone({position: [] for position in same}, {position: [] for position in same})
    now = {pod.position: pod for pod in pods}
    for ref in earlier.references:
        found = alone.references.get(ref.var.path[2])
        if found is not None:  # the pod it names may be a new object: the one at its place now
            target = ref.target if ref.target is None else now[ref.target.position]
            found.append(ref if target is ref.target else ref._replace(target=target))
    for path, value in earlier.template_strings:
        found_templates = alone.templates.get(path[2]) if path[:2] == PODS and len(path) > 2 else None
        if found_templates is not None:
            found_templates.append((path, value))
    return alone


def _pods(items: Any, earlier: tuple[Pod, ...] = ()) -> tuple[Pod, ...]:
    if not isinstance(items, list):
        return ()
    before = {pod.position: pod for pod in earlier}
    found = []
    for i, item in enumerate(items):
        if isinstance(item, dict):
            same = before.get(i)
            if same is not None and same.data is item:
                found.append(same)  # read from the same object at the same place
                continue
            path = PODS + (i,)
            name = item.get("name")
            found.append(Pod(i, item, path, name if isinstance(name, str) else f"#{i + 1}", _vars(item, path)))
    return tuple(found)


def _vars(pod: dict[str, Any], pod_path: DataPath) -> tuple[Var, ...]:
    """The vars of a pod: `vars` as a mapping (`NAME: value`), or as a list of `- key: NAME` /
    `value: ...` items or single-key `- NAME: value` items; any other item is the schema's."""
    variables = pod.get("vars")
    base = pod_path + ("vars",)
    if isinstance(variables, dict):
        return tuple(Var(name, value, base + (name,)) for name, value in variables.items())
    if not isinstance(variables, list):
        return ()
    found = []
    for k, item in enumerate(variables):
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("key"), str):
            found.append(Var(item["key"], item.get("value"), base + (k, "value")))
        elif len(item) == 1:
            ((name, value),) = item.items()
            found.append(Var(name, value, base + (k, name)))
    return tuple(found)


def _collect_templates(node: dict[Any, Any] | list[Any], path: DataPath, out: list[tuple[DataPath, str]]) -> None:
    # Pre-order, in mapping and list order. Recursion is bounded: the loader rejects nesting
    # deeper than 500 levels.
    for key, value in node.items() if isinstance(node, dict) else enumerate(node):
        if isinstance(value, str):
            if "<%" in value:
                out.append((path + (key,), value))
        elif isinstance(value, (dict, list)):
            _collect_templates(value, path + (key,), out)


def _collect_templates_again(application: dict[Any, Any], out: list[tuple[DataPath, str]], alone: _Alone) -> None:
    """_collect_templates of the application, taking the templates of the pods left alone from before."""
    for key, value in application.items():
        if key != "pods" or not isinstance(value, list):
            _collect_templates({key: value}, ("application",), out)
            continue
        for position, pod in enumerate(value):
            found = alone.templates.get(position)
            if found is not None:
                out.extend(found)
            else:
                _collect_templates({position: pod}, PODS, out)


def _references(
    pods: tuple[Pod, ...], by_name: dict[str, Pod], app_name: Any, alone: _Alone | None = None
) -> list[Reference]:
    found = []
    by_written: dict[str, Pod] = {}
    for pod in pods:
        by_written.setdefault(pod.name, pod)
    for pod in pods:
        kept = alone.references.get(pod.position) if alone is not None else None
        if kept is not None:
            found.extend(kept)
            continue
        for var in pod.vars:
            # Both forms hold a literal `.pod` or `${`: most values are passed over at C speed.
            if not isinstance(var.value, str) or (".pod" not in var.value.lower() and "${" not in var.value):
                continue
            for match in _REFERENCE.finditer(var.value):
                if match.group("host"):
                    name, port = match.group("host"), match.group("host_port")
                    start, end = match.span("host")
                    port_start, port_end = match.span("host_port") if port else (start, end)
                else:
                    name, port = match.group("pod"), match.group("port")
                    start, end = match.span("pod")
                    port_start, port_end = match.span("port")
                target = _resolve(name, by_name, by_written, app_name)
                number = _port(port) if port else None
                found.append(Reference(var, name, number, start, end, port_start, port_end, target))
    return found


# The digits of a port converted to a number, at most: more (`:1234567`, or 10,000 digits, which
# Python would refuse to convert) stand for LONG_PORT, as out of range as the number they write.
# So do another script's digits (`web.pod:\u0668\u0660`): `\d` and `int` read them as 80, but no
# URL parser or program does (hunt 157 F6).
PORT_DIGITS = 6
LONG_PORT = 10**PORT_DIGITS


def _port(digits: str) -> int:
    """The port a run of digits writes (`0080` is 80); LONG_PORT when it is longer than
    PORT_DIGITS without its leading zeros or not written in ASCII digits."""
    significant = digits.lstrip("0")
    if not digits.isascii() or len(significant) > PORT_DIGITS:
        return LONG_PORT
    return int(significant or "0")


def _resolve(name: str, by_name: dict[str, Pod], by_written: dict[str, Pod], app_name: Any) -> Pod | None:
    if not name.isascii():
        return None  # no pod's name: the Kelvin sign `\u212a` lower-cases to `k` (hunt 54 F6)
    # `web` beside pods `Web` and `web`, one host name: the pod written so (hunt 100 F3)
    found = by_written.get(name) or by_name.get(name.lower())
    if found is not None:
        return found
    # Kubernetes services are `<app>-<pod>`, and `<app>-<pod>.pod` resolves too (`demo-Web` as `Web`)
    if isinstance(app_name, str) and name.lower().startswith(app_name.lower() + "-"):
        pod = name[len(app_name) + 1 :]
        return by_written.get(pod) or by_name.get(pod.lower())
    return None
