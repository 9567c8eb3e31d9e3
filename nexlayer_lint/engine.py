"""lint(source, path, settings) -> FileResult: run every stage, then locate, rank, filter, suppress."""

from __future__ import annotations

import bisect
import os
from collections.abc import Callable, Mapping
from functools import cache, lru_cache
from typing import Any, NamedTuple

from nexlayer_lint import checks as checks_package
from nexlayer_lint import loader, schema, secrets, suppress
from nexlayer_lint.checks.app import App
from nexlayer_lint.checks.declare import Finding
from nexlayer_lint.config import Settings, resolve_api_url, schema_uses_network
from nexlayer_lint.decoding import readable
from nexlayer_lint.model import (
    SEVERITY_RANK,
    DataPath,
    Diagnostic,
    Document,
    FileResult,
    Located,
    Problem,
    SchemaInfo,
    Severity,
    Span,
    format_path,
)
from nexlayer_lint.rules import RULES, UNSUPPRESSIBLE
from nexlayer_lint.value_map import ValueMap, scalar_map, written_span

SCHEMA_WARNING_SPAN = Span(1, 1, 1, 1)


def is_schema_warning(diagnostic: Diagnostic) -> bool:
    """The run's NX900 about the schema (given to its first file), not one of `/validate`: that
    one always has a hint. Told apart so, not by its message, which starring a secret may change
    (hunt 77 F3)."""
    return diagnostic.code == "NX900" and diagnostic.hint is None


def is_enabled(code: str, settings: Settings) -> bool:
    """--select/--ignore by code prefix; the longest matching prefix wins, ignore on a tie (as ruff)."""
    if code in UNSUPPRESSIBLE:
        return True
    selected = max((len(p) for p in settings.select if code.startswith(p)), default=-1 if settings.select else 0)
    ignored = max((len(p) for p in settings.ignore if code.startswith(p)), default=-1)
    return selected >= 0 and selected > ignored


def is_fixable(code: str, settings: Settings) -> bool:
    """`fixable` (empty: every code) and `extend-fixable` against `unfixable`, by the longest matching
    prefix, `unfixable` on a tie (as --select and --ignore). An unfixable code's findings carry no fix."""
    fixable = (settings.fixable or ("",)) + settings.extend_fixable
    chosen = max((len(p) for p in fixable if code.startswith(p)), default=-1)
    refused = max((len(p) for p in settings.unfixable if code.startswith(p)), default=-1)
    return chosen > refused


def severity_of(code: str, settings: Settings, own: Severity | None = None) -> Severity:
    """The user's configured level (longest prefix) wins, then the check's own, then the default."""
    matches = [(len(prefix), level) for prefix, level in settings.severity.items() if code.startswith(prefix)]
    if matches and code not in UNSUPPRESSIBLE:
        return max(matches)[1]
    return own or RULES[code].severity


class _Choices:
    """What one Settings says of each code (enabled, fixable, its severity), worked out once per
    code: a batch asks for every finding, and the answer depends on the code alone."""

    def __init__(self, settings: Settings, guarded: tuple[str, ...] = ()) -> None:
        # `chosen`: what the settings turn on. `enabled`: what is linted, the `guarded` codes too,
        # which judge no directive, explain no other finding and offer no fix (Linter's docstring)
        self.chosen: Callable[[str], bool] = cache(lambda code: is_enabled(code, settings))
        self.enabled: Callable[[str], bool] = (
            cache(lambda code: self.chosen(code) or code in guarded) if guarded else self.chosen
        )

        # What this run can report: an enabled code, but a remote one only when the run asks the
        # API. Offline (the pre-commit hook, the editor) a directive for NX901 is not "unused":
        # the `--remote` run needs it (hunt 59 F1), as one for a code turned off.
        def reportable(code: str) -> bool:
            if not self.chosen(code):
                return False
            if RULES[code].stage != "remote":
                return True
            return settings.remote or (code == "NX900" and schema_uses_network(settings.schema))

        self.reportable: Callable[[str], bool] = cache(reportable)
        self.fixable: Callable[[str], bool] = cache(lambda code: is_fixable(code, settings) and self.chosen(code))
        self.severity: Callable[[str, Severity | None], Severity] = cache(
            lambda code, own: severity_of(code, settings, own)
        )


def fails(diagnostic: Diagnostic, settings: Settings) -> bool:
    return SEVERITY_RANK[diagnostic.severity] >= SEVERITY_RANK[settings.fail_on]


class SchemaChoice(NamedTuple):  # a named tuple, as model.py's types: cheaper to create at start-up
    validator: Any
    info: SchemaInfo
    warning: str | None  # NX900 message when a remote schema could not be used
    # the API URL's credentials starred in what the schema step says: a served schema's pattern
    # or enum may quote them back, and messages name those (None: nothing to star)
    hide: Callable[[str], str] | None = None


def choose_schema(spec: str, api_url: str | None, ttl_hours: float, timeout: float) -> SchemaChoice:
    """The validator for `--schema`, built once per process (bundled, a file, remote or a URL); a
    file's again when it changed on disk: the language server lives on while the user edits it
    (hunt 79 F2: the editor kept the first version, the command line read the new one)."""
    return _choose_schema(spec, api_url, ttl_hours, timeout, schema_file_stamp(spec))


def names_schema_file(spec: str) -> bool:
    """Whether `--schema`'s `spec` names a file (there or not), not the bundled schema or a URL."""
    return not (spec == "bundled" or "://" in spec or schema_uses_network(spec))


def schema_file_stamp(spec: str) -> tuple[int, ...] | None:
    """What changes when a schema file changes; None for what is no file (bundled, a URL)."""
    if not names_schema_file(spec):
        return None
    try:
        found = os.stat(spec)
    except (OSError, ValueError):
        return None  # reading it says why
    return (found.st_mtime_ns, found.st_size, found.st_ino, found.st_ctime_ns)


@lru_cache(maxsize=8)
def _choose_schema(
    spec: str, api_url: str | None, ttl_hours: float, timeout: float, stamp: tuple[int, ...] | None
) -> SchemaChoice:
    if spec == "bundled":
        return SchemaChoice(*schema.bundled_validator(), None)
    if schema_uses_network(spec):
        from nexlayer_lint import schema_cache
        from nexlayer_lint.http_client import as_is, credentials_hider, display_url

        url = schema_cache.url_for(spec, api_url)
        fetched = schema_cache.load_remote_schema(url, ttl_hours=ttl_hours, timeout=timeout)
        if fetched.schema is not None and fetched.info is not None:
            hide = credentials_hider(url)
            try:
                validator = schema.build_validator(fetched.schema)
                return SchemaChoice(validator, fetched.info, fetched.warning, None if hide is as_is else hide)
            except schema.SchemaLoadError as exc:  # its pattern may quote the URL's key back
                warning = f"the schema from {display_url(url)} is unusable ({hide(str(exc))}); using the bundled schema"
        else:
            warning = fetched.warning or f"could not get the schema from {display_url(url)}; using the bundled schema"
        return SchemaChoice(*schema.bundled_validator(), warning)
    if "://" in spec:  # not a file name: say so without the URL's user-info or query
        from nexlayer_lint.http_client import display_url

        raise schema.SchemaLoadError(
            f'--schema takes bundled, remote, a file or an https URL, not "{display_url(spec)}"'
        )
    return SchemaChoice(*schema.validator_for_file(spec), None)


class Linter:
    """Lints files one by one with one schema; the schema's NX900, if any, goes with the first file.

    `masked_text=False` leaves FileResult.masked_text empty: only code frames and fingerprints
    read it, and masking is about a tenth of linting a file with findings.

    `guarded` codes are reported even when the settings turn them off, with no fix, judging no
    directive and explaining no other finding: what --fix's passes must see whatever the run
    reports (fixes.NEVER_ADDED: `--ignore NX002 --fix` wrote a duplicate key: hunt 111 F2).
    """

    def __init__(
        self,
        settings: Settings,
        masked_text: bool = True,
        guarded: tuple[str, ...] = (),
        endpoints: dict[object, Any] | None = None,
    ) -> None:
        self.settings = settings
        self.masked_text = masked_text
        self._choices = _Choices(settings, guarded)
        self._schema: SchemaChoice | None = None
        self._schema_warning_pending = True
        # /validate's endpoint (_endpoint) -> remote_validate.Endpoint: shared by a run's Linters
        # (one per config folder), so an API that is down costs the run one deadline, not one a
        # folder (hunt 116 F3)
        self._endpoints: dict[object, Any] = {} if endpoints is None else endpoints

    def reports(self, code: str) -> bool:
        """Whether the settings turn `code` on (a `guarded` code is linted whatever they say)."""
        return self._choices.chosen(code)

    @property
    def schema(self) -> SchemaChoice:
        if self._schema is None:
            s = self.settings
            self._schema = choose_schema(s.schema, s.api_url, s.schema_ttl_hours, s.timeout)
        return self._schema

    def use_bundled_schema(self, why: str) -> None:
        """Lint with the bundled schema, the first file's NX900 saying why the one the settings
        name could not be used (the language server: the command line stops with exit 2)."""
        self._schema = choose_schema("bundled", None, 0, 0)._replace(warning=f"{why}; using the bundled schema")

    def lint(self, source: str | bytes, path: str, ask_api: bool = True) -> FileResult:
        """`ask_api=False` leaves out the remote check even when the settings ask for it: --fix
        asks the API about the fixed text only, once."""
        try:
            document, problems = loader.load(source, path, max_bytes=self.settings.max_file_size)
        except Exception as exc:  # a bug in the loader fails this file, not the run
            if os.environ.get("NEXLAYER_LINT_DEBUG"):
                raise
            # Only the exception's type: its text may quote the file.
            return FileResult(path, (), "", f"internal error in reading {path}: {type(exc).__name__}; not linted")
        return self.lint_loaded(source, path, document, problems, ask_api)

    def lint_loaded(
        self,
        source: str | bytes,
        path: str,
        document: Document | None,
        problems: list[Problem],
        ask_api: bool = True,
    ) -> FileResult:
        """`lint` of what `loader.load` made of `source` (the language server keeps Documents)."""
        return self._lint(source, path, document, problems, ask_api, None, keep=False)[0]

    def lint_keeping(
        self,
        source: str | bytes,
        path: str,
        document: Document | None,
        problems: list[Problem],
        ask_api: bool = True,
        earlier: Kept | None = None,
    ) -> tuple[FileResult, Kept | None]:
        """`lint_loaded`, and what it keeps for the lint of an edit of `document` (None when it
        did not parse). `earlier`: what the lint of the Document that `document` was made from by
        scalar_edit.edited kept (the language server's last keystroke): what the edit cannot have
        changed (the schema's findings in the pods it left alone, those pods' part of the App,
        where the findings about values it did not move are) is taken from it."""
        return self._lint(source, path, document, problems, ask_api, earlier, keep=True)

    def _lint(
        self,
        source: str | bytes,
        path: str,
        document: Document | None,
        problems: list[Problem],
        ask_api: bool,
        earlier: Kept | None,
        keep: bool,
    ) -> tuple[FileResult, Kept | None]:
        settings = self.settings
        problems = list(problems)
        internal: list[str] = []
        if self._schema_warning_pending and self.schema.warning:
            problems.append(Problem("NX900", self.schema.warning, span=SCHEMA_WARNING_SPAN))
        self._schema_warning_pending = False
        kept: Kept | None = None
        faults: schema.PodFaults | None = None
        app: App | None = None
        if document is not None:
            said, faults = _schema_step(document, self.schema.validator, path, internal, earlier, keep)
            hide = self.schema.hide
            if hide is not None:
                said = [_credentials_hidden(p, hide) for p in said]
            problems.extend(said)
            found, app = _run_checks(document, path, internal, earlier.app if earlier is not None else None)
            problems.extend(found)
        places: dict[Problem, Diagnostic] | None = {} if keep and document is not None else None
        before = None
        if earlier is not None and earlier.settings == settings and earlier.file == path:
            before = _Before(earlier.document.positions, earlier.places)
        diagnostics = _diagnosed(document, problems, path, self._choices, internal, before, places)
        if document is not None and places is not None:
            kept = Kept(document, faults, app, places, settings, path)
        if document is not None and settings.remote and ask_api:
            from nexlayer_lint.remote_validate import Endpoint, validate_remote

            api_url = resolve_api_url(settings.api_url)
            remote = _guarded(
                "the remote check",
                path,
                internal,
                validate_remote,
                document,
                api_url=api_url,
                send_secrets=settings.remote_send_secrets,
                timeout=settings.timeout,
                local_has_errors=any(d.severity == "error" for d in diagnostics),
                endpoint=self._endpoints.setdefault(_endpoint(api_url), Endpoint()),
            )
            # one pass over everything, so suppressions see local and remote findings together
            diagnostics = _diagnosed(document, problems + remote, path, self._choices, internal)
        if not (diagnostics and self.masked_text):
            # Only a diagnostic's code frame or fingerprint reads the masked text: a clean file's
            # would never be read, and masking is about a tenth of linting one.
            masked = ""
        else:
            try:
                if document is None:
                    # A file that does not parse can still hold `personalAccessToken: ghp_...` on the
                    # very line its code frame shows: mask it by lines, as there are no data paths.
                    # Only the lines a diagnostic covers are shown, so only those are masked and kept.
                    from nexlayer_lint import unparsed

                    masked = unparsed.mask(_text_of(source), [(d.line, d.end_line) for d in diagnostics])
                else:
                    masked = secrets.mask_text(document)
            except Exception as exc:  # a frame must never show the text unmasked instead
                if os.environ.get("NEXLAYER_LINT_DEBUG"):
                    raise
                # Only the exception's type: its text may quote what was being masked.
                internal.append(f"internal error in masking secrets on {path}: {type(exc).__name__}; no code frames")
                masked = ""
        error = "; ".join(internal) or None
        if error and document is not None:
            error = secrets.scrub(document, error)  # an exception's text may quote the value a check choked on
        return FileResult(path, tuple(diagnostics), masked, error), kept


class Kept(NamedTuple):
    """What a lint keeps of one Document for the lint of an edit of it (Linter.lint_keeping)."""

    document: Document
    schema_faults: schema.PodFaults | None  # None when the schema step failed
    app: App | None  # what the checks read; None when reading it failed
    places: dict[Problem, Diagnostic]  # each finding where _locate put it, with these settings and file
    settings: Settings
    file: str


class _Before(NamedTuple):
    """What _diagnose takes from the lint of the Document an edit was made from."""

    positions: Mapping[DataPath, Located]  # that Document's: an entry the edit did not move is the same object
    places: dict[Problem, Diagnostic]


def lint(source: str | bytes, path: str = "nexlayer.yaml", settings: Settings | None = None) -> FileResult:
    """Lint one file's text or bytes; the library entry point."""
    return Linter(settings or Settings()).lint(source, path)


def _endpoint(api_url: str) -> object:
    """What `/validate` of `api_url` is asked at, as check_url reads it: scheme, host (in any
    case), port (written or not) and target; `h/` and `h` alike, and user-info left out (hunts
    117 F6, 118 F7). The URL itself when it is no valid one: asking fails at once."""
    from nexlayer_lint.http_client import RequestError, check_url, join_url

    url = join_url(api_url, "validate")
    try:
        return check_url(url)
    except RequestError:
        return url


def _guarded(what: str, path: str, internal: list[str], function: Any, *args: Any, **kwargs: Any) -> list[Problem]:
    """Run one stage; a bug in it becomes an internal error naming it, and the others still report."""
    try:
        problems = list(function(*args, **kwargs))
        unknown = sorted({problem.code for problem in problems if problem.code not in RULES})
        if unknown:
            raise LookupError(f"yielded unregistered codes {', '.join(map(str, unknown))}")
        return problems
    except Exception as exc:  # noqa: BLE001 - containment is the point
        _contain(exc, what, path, internal)
        return []


def _schema_step(
    document: Document, validator: Any, path: str, internal: list[str], earlier: Kept | None, keep: bool
) -> tuple[list[Problem], schema.PodFaults | None]:
    """The schema step, guarded as every stage (_guarded); its faults per pod only when it ran through."""
    faults: schema.PodFaults | None = None

    def step() -> list[Problem]:
        nonlocal faults
        said, faults = schema.check_pods(document, validator, earlier.schema_faults if earlier else None, keep)
        return said

    failures = len(internal)
    said = _guarded("the schema step", path, internal, step)
    return said, faults if len(internal) == failures else None


def _run_checks(
    document: Document, path: str, internal: list[str], earlier: App | None = None
) -> tuple[list[Problem], App | None]:
    """Every declared check on the document, each given the same App; each finding becomes a
    Problem with the code of the check's rule. A check that raises, or yields anything but a
    Finding, or whose code is not registered, is that check's internal error and reports nothing;
    the other checks still report. `earlier`: the App of the Document this one was edited from."""
    try:
        app = App.of(document, earlier)
    except Exception as exc:  # noqa: BLE001 - containment is the point
        _contain(exc, "reading the document for the checks", path, internal)
        return [], None
    problems: list[Problem] = []
    for rule in checks_package.CHECK_RULES:
        try:
            if rule.code not in RULES:
                raise LookupError(f"its code {rule.code} is not registered in nexlayer_lint.rules")
            found = [_problem(rule.code, finding) for finding in rule.check(app)]  # type: ignore[misc]
        except Exception as exc:  # noqa: BLE001 - containment is the point
            _contain(exc, f"check {rule.check.__module__}.{rule.check.__name__}", path, internal)  # type: ignore[union-attr]
        else:
            problems.extend(found)  # all or nothing: a check that fails midway reports none
    return problems, app


def _problem(code: str, finding: Finding) -> Problem:
    if not isinstance(finding, Finding):
        raise TypeError(f"yielded a {type(finding).__name__}, not a Finding")
    if finding.severity is not None and finding.severity not in SEVERITY_RANK:
        raise ValueError(f"yielded a finding with severity {finding.severity!r}")
    return finding.problem(code)


def _contain(exc: Exception, what: str, path: str, internal: list[str]) -> None:
    if os.environ.get("NEXLAYER_LINT_DEBUG"):
        raise exc
    internal.append(f"internal error in {what} on {path}: {type(exc).__name__}: {exc}")


def _diagnosed(
    document: Document | None,
    problems: list[Problem],
    path: str,
    choices: _Choices,
    internal: list[str],
    before: _Before | None = None,
    places: dict[Problem, Diagnostic] | None = None,
) -> list[Diagnostic]:
    """_diagnose, contained: a bug there is an internal error (exit 2), never a traceback, and
    never a verdict of "no findings" (the error fails the run)."""
    try:
        return _diagnose(document, problems, path, choices, before, places)
    except Exception as exc:  # containment is the point
        if os.environ.get("NEXLAYER_LINT_DEBUG"):
            raise
        # Only the exception's type: its text may quote a message, a path or a value being located.
        internal.append(f"internal error in locating the findings on {path}: {type(exc).__name__}; none shown")
        return []


def _credentials_hidden(problem: Problem, hide: Callable[[str], str]) -> Problem:
    """A schema step's problem with the API URL's credentials a served schema quotes starred, and
    no fix that would show one in its title or write one into the file (hunt 145 F6)."""
    fix = problem.fix
    if fix is not None and (hide(fix.title) != fix.title or any(hide(edit.text) != edit.text for edit in fix.edits)):
        fix = None
    return problem._replace(message=hide(problem.message), hint=problem.hint and hide(problem.hint), fix=fix)


def _diagnose(
    document: Document | None,
    problems: list[Problem],
    path: str,
    choices: _Choices,
    before: _Before | None = None,
    places: dict[Problem, Diagnostic] | None = None,
) -> list[Diagnostic]:
    """`before`: where the lint before an edit put its findings; `places` is given where this
    one puts them, for the next."""
    if not problems and (document is None or not document.comments):
        return []  # a clean file without directives: nothing to locate, suppress or report unused
    hide = secrets.unquotable_hider(document) if document is not None else None
    if hide is not None:
        problems = secrets.without_unquotable(hide, problems)
    maps: dict[DataPath, ValueMap | None] = {}  # each value read once, however many findings point into it
    if before is None and places is None:
        located = [_locate(document, problem, path, choices, maps) for problem in problems]
    else:
        located = [_locate_again(document, problem, path, choices, maps, before, places) for problem in problems]
    if hide is not None:  # a path runs through keys, and a key may be a secret's copy (`*pw : x`)
        located = [d._replace(path=hide(d.path)) for d in located]
    directives, bad = (
        suppress.parse(document.comments, document.lines, document.multiline_scalars)
        if document and document.comments
        else ([], [])
    )
    suppressed: set[int] = set()
    spread = suppress.spread(directives, document.multiline_scalars) if directives and document else {}
    # where the first YAML document ends when another follows (NX003's place, its own `%YAML`
    # line, or the first's `...` before it: hunt 271 F2, F6): the later one's directives cover
    # it alone (hunt 266 F2), and are not judged unused (it is not linted; alone in a file of its
    # own it may need them: hunt 129 F1)
    later_from = next((p.span.line for p in problems if p.code == "NX003" and p.span), None) if directives else None
    if later_from is not None and document is not None and (markers := secrets.document_markers(document)):
        marker_line = bisect.bisect_right(document.line_starts, markers[0])
        if document.text.startswith("...", markers[0]):
            marker_line += 1  # a comment on the `...` line is still the first document's (hunt 272 F2)
        later_from = min(later_from, marker_line)
    if directives:
        kept_ids = {
            id(d) for d in suppress.apply(located, directives, choices.chosen, spread, later_from=later_from)[0]
        }
        suppressed = {i for i, d in enumerate(located) if id(d) not in kept_ids}

    def stands_for(j: int, i: int) -> bool:
        # What the user turned off, suppressed or ranked lower explains nothing, so a schema
        # error is never hidden by a suppressed or downgraded cause: it is reported again.
        return (
            j not in suppressed
            and choices.chosen(problems[j].code)
            and SEVERITY_RANK[located[j].severity] >= SEVERITY_RANK[located[i].severity]
        )

    unexplained = [located[i] for i in _unexplained(problems, stands_for)]
    # Suppressed again among what would be reported: a directive that only hides a finding
    # another one explains hides nothing shown, and is reported unused (NX099), as ruff's RUF100.
    # after a remote check that failed (NX900), the API judged nothing: NX901 and NX902 could not fire
    asked = not any(problem.code == "NX900" for problem in problems)
    reported, unused = suppress.apply(
        unexplained,
        directives,
        choices.chosen,
        spread,
        choices.reportable if asked else lambda code: choices.reportable(code) and code not in ("NX901", "NX902"),
        later_from,
    )
    if unused and later_from is not None:
        unused = [problem for problem in unused if problem.span is None or problem.span.line < later_from]
    directive_findings = [_locate(document, problem, path, choices, maps) for problem in bad + unused]
    directive_findings = suppress.quiet_nx099(directive_findings, directives, spread, later_from)
    unique = {(d.line, d.col, d.code, d.message): d for d in reported + directive_findings if choices.enabled(d.code)}
    return sorted(unique.values(), key=lambda d: d.sort_key)


def _one_cause(problems: list[Problem], enabled: Callable[[str], bool]) -> list[Problem]:
    """The problems no other enabled one explains (Problem.explains): one cause, one finding."""
    return [problems[i] for i in _unexplained(problems, lambda j, i: enabled(problems[j].code))]


def _unexplained(problems: list[Problem], stands_for: Callable[[int, int], bool]) -> list[int]:
    """The indexes of the problems no other one explains, where problems[j] may explain problems[i]
    only when stands_for(j, i) (the engine: j is enabled, not suppressed, and ranked no lower).

    What an explained problem explains in turn is dropped too, so explanations chain. Two
    problems that explain each other are both kept. Linear: each problem's path is looked up once
    per prefix.
    """
    exact: dict[tuple[str, DataPath], list[tuple[int, str | None]]] = {}
    subtree: dict[tuple[str, DataPath], list[tuple[int, str | None]]] = {}
    for i, problem in enumerate(problems):
        for explained in problem.explains:
            index = subtree if explained.subtree else exact
            index.setdefault((explained.code, tuple(explained.path)), []).append((i, explained.at))
    if not exact and not subtree:
        return list(range(len(problems)))
    kept = []
    for i, problem in enumerate(problems):
        path = tuple(problem.path)
        candidates = list(exact.get((problem.code, path), ()))
        if subtree:
            for end in range(len(path) + 1):
                candidates += subtree.get((problem.code, path[:end]), ())
        explainers = [j for j, at in candidates if at is None or at == problem.at]
        if not any(j != i and stands_for(j, i) and not _explains(problem, problems[j]) for j in explainers):
            kept.append(i)
    return kept


def _explains(problem: Problem, other: Problem) -> bool:
    """Whether `problem` explains `other` (to keep both of a pair that explain each other)."""
    path = tuple(other.path)
    return any(
        e.code == other.code
        and (path == tuple(e.path) or (e.subtree and path[: len(e.path)] == tuple(e.path)))
        and e.at in (None, other.at)
        for e in problem.explains
    )


def _locate(
    document: Document | None, problem: Problem, path: str, choices: _Choices, maps: dict[DataPath, ValueMap | None]
) -> Diagnostic:
    rule = RULES[problem.code]
    span = problem.span
    if span is None:
        span = document.locate(problem.path, problem.at) if document is not None else Span(1, 1, 1, 1)
        if problem.offset is not None and document is not None and problem.at == "value":
            span = _narrow(document, problem, span, maps)
    return Diagnostic(
        file=path,
        line=span.line,
        col=span.col,
        end_line=span.end_line,
        end_col=span.end_col,
        code=problem.code,
        name=rule.name,
        severity=choices.severity(problem.code, problem.severity),
        message=problem.message,
        hint=problem.hint,
        path=format_path(problem.path),
        fix=problem.fix if problem.fix is not None and choices.fixable(problem.code) else None,
    )


def _locate_again(
    document: Document | None,
    problem: Problem,
    path: str,
    choices: _Choices,
    maps: dict[DataPath, ValueMap | None],
    before: _Before | None,
    places: dict[Problem, Diagnostic] | None,
) -> Diagnostic:
    """_locate, or where the lint before the edit put an equal Problem when the edit cannot have
    moved it (_unmoved); `places` learns where this one is. A Problem that cannot be a key (a
    check's fix holding a list) is located as it is, and not kept."""
    try:
        diagnostic = before.places.get(problem) if before is not None else None
        if diagnostic is None or document is None or before is None or not _unmoved(document, before, problem):
            diagnostic = _locate(document, problem, path, choices, maps)
        if places is not None:
            places[problem] = diagnostic
    except TypeError:
        return _locate(document, problem, path, choices, maps)
    return diagnostic


def _unmoved(document: Document, before: _Before, problem: Problem) -> bool:
    """Whether an edit left where `problem` is as it was: its own span says so, or its scalar's or
    key's position entry is the same object (scalar_edit replaces the entries of the value it
    edits and of what ends with it). A collection is shown by its first line's text, which the
    edit may have changed."""
    if problem.span is not None:
        return True
    where = tuple(problem.path)
    entry = document.positions.get(where)
    if entry is None or entry is not before.positions.get(where):
        return False
    return entry.style is not None or (problem.at == "key" and entry.key is not None)


def _narrow(document: Document, problem: Problem, span: Span, maps: dict[DataPath, ValueMap | None]) -> Span:
    """Point at part of a string value (a pod name inside a URL): where its characters are
    written, over escapes and folded lines too (value_map, read once per value into `maps`);
    the whole value where its text cannot be read exactly."""
    path = tuple(problem.path)
    located = document.positions.get(path)
    value = document.get(*path)
    if located is None or located.style is None or not isinstance(value, str):
        return span
    start, end = problem.offset  # type: ignore[misc]
    if path not in maps:  # once per value: a value may hold thousands of findings
        style = located.style
        same = style in ("", "'", '"') and document.source_of(path) == f"{style}{value}{style}"
        maps[path] = _AS_WRITTEN if same else scalar_map(document, located, value)
    mapped = maps[path]
    if mapped is _AS_WRITTEN:  # the common case: the text is the value, on one line
        shift = span.col + (1 if located.style else 0)
        return Span(span.line, shift + start, span.line, shift + end)
    return (written_span(document, mapped, start, end) if mapped is not None else None) or span


_AS_WRITTEN = ValueMap("", [], [])  # in _narrow's memo: a value whose text is the value itself


def _text_of(source: str | bytes) -> str:
    """The text of a file that does not parse, for its code frames: as the loader decoded it (a
    UTF-16 file too), or as well as it can be read when it could not (decoding.readable)."""
    if isinstance(source, str):
        return source.removeprefix("\ufeff")  # as the loader reads it, and as bytes give it
    text, _ = loader.decode(source)
    return text.removeprefix("\ufeff") if text is not None else readable(source[:1_000_000])
