"""The command line: click commands, the only place that exits.

Heavy modules (the engine, ruamel.yaml, jsonschema, HTTP) are imported inside the commands, so
`--version` and `--help` start in milliseconds.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import click

from nexlayer_lint import __version__
from nexlayer_lint.config import (
    DEFAULT_API_URL,
    MAX_FILE_SIZE_CAP,
    SEVERITIES,
    ConfigError,
    Options,
    Resolver,
    Settings,
    discover,
    parse_codes,
    parse_severities,
    schema_uses_network,
)
from nexlayer_lint.globs import PathPattern, check_globs, user_pattern
from nexlayer_lint.lazy_regex import lazy
from nexlayer_lint.model import EXIT_INTERRUPTED

if TYPE_CHECKING:
    from nexlayer_lint.engine import Linter
    from nexlayer_lint.model import Diagnostic, FileResult

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class DefaultToCheck(click.Group):
    """`nexlayer-lint FILE` means `nexlayer-lint check FILE`, as with ruff.

    `nexlayer-lint --isolated check` (options before the command's name, as ruff takes its global
    options) is `check --isolated`: the check command, given `check` as its first path, takes it
    for its name (`_CHECK_NAMED_LATE`), as `nexlayer-lint check` does. Before a `--`, since after
    one `check` is a path; `./check` names a folder of that name."""

    def invoke(self, ctx: click.Context) -> Any:
        """Click's, but Ctrl-C ends the run with 130, as a shell reports a command it interrupted:
        click prints `Aborted!` and exits 1, the code of findings (hunt 63 F4). The `finally`
        blocks on the way have run (a fix's temporary file is gone). Caught here rather than
        with a signal handler, whose module would cost every run's start-up."""
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            _echo_error("nexlayer-lint: interrupted")
            sys.exit(EXIT_INTERRUPTED)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            end = args.index("--") if "--" in args else len(args)
            ctx.meta[_CHECK_NAMED_LATE] = "check" in args[:end]
            args = ["check", *args]
        return super().parse_args(ctx, args)


_CHECK_NAMED_LATE = "nexlayer_lint.check_named_late"


@click.group(cls=DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="nexlayer-lint", message="%(prog)s %(version)s")
def main() -> None:
    """Lint Nexlayer deployment files (nexlayer.yaml): offline, exact, fast.

    `nexlayer-lint [PATHS]...` is short for `nexlayer-lint check [PATHS]...`.
    """


def _split(values: Sequence[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


class _OrderedOutputs(click.Command):
    """Remembers where each --format and --output-file stood, so a file pairs with the format before it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        _refuse_paths_read_as_options(args)
        try:
            # A dry parse: click keeps the order of option occurrences only here.
            _, _, order = self.make_parser(ctx).parse_args(args=list(args))
        except click.ClickException:
            order = []  # the real parse below reports it
        ctx.meta[_OUTPUT_ORDER] = [p.name for p in order if p.name in ("formats", "output_files")]
        return super().parse_args(ctx, args)


_OUTPUT_ORDER = "nexlayer_lint.output_order"


def _refuse_paths_read_as_options(args: Sequence[str]) -> None:
    """Exit 2 for an argument before `--` that starts with `-` and names an existing file or
    folder: pre-commit appends its file names after the hook's options, so a folder named
    `--api-url=x` made `--api-url=x/nexlayer.yaml` an option's value, that broken file was never
    linted and the hook passed (hunt 115 F4)."""
    for arg in args:
        if arg == "--":
            return
        if arg.startswith("-") and arg != "-" and os.path.lexists(arg):
            raise click.UsageError(
                f"{arg!r} is a path, but it reads as an option: give paths that start with '-' after "
                "'--' (the pre-commit hooks do, unless your own `args:` leave out their last '--')"
            )


class _Seconds(click.FloatRange):
    """A number of seconds from 0.1 to 300: NaN passes FloatRange's comparisons, and must not undo a deadline."""

    def __init__(self) -> None:
        super().__init__(0.1, 300)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if number != number:  # NaN
            self.fail(f"{value!r} is not a number of seconds from 0.1 to 300.", param, ctx)
        return number


class _PathArgument(click.Path):
    """A path as given: shells still complete it as a path, but click does not stat it.

    click.Path.convert stats every argument even when it checks nothing, and a CI run may pass
    thousands; whether each exists or is a folder is decided once, when the files are found.
    """

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return value


@main.command(cls=_OrderedOutputs)
@click.argument("paths", nargs=-1, type=_PathArgument(path_type=str))
@click.option(
    "--output-format",
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["text", "json", "sarif", "github", "junit", "gitlab"]),
    help="Output format; repeat with --output-file to write several reports.  [default: text]",
)
@click.option(
    "--output-file",
    "-o",
    "output_files",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Write the report of the --output-format just before it to this file (atomically).",
)
@click.option(
    "--select",
    multiple=True,
    metavar="CODES",
    help="Only these codes, prefixes or rule names (NX2, NX215, unpinned-image).",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="CODES",
    help="Skip these codes, prefixes or rule names (added to the config's, unless --select is given).",
)
@click.option(
    "--severity",
    "severities",
    multiple=True,
    metavar="CODE=LEVEL",
    help="Change a code's severity: error, warning or info.",
)
@click.option("--fail-on", type=click.Choice(SEVERITIES), help="Lowest severity that fails the run.  [default: error]")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings fail the run (errors still exit 2).")
@click.option("--statistics", is_flag=True, help="Count the findings per code instead of listing them.")
@click.option(
    "--fix/--no-fix", "fix", default=None, help="Apply the safe fixes to the files, then report what remains."
)
@click.option(
    "--unsafe-fixes/--no-unsafe-fixes",
    default=None,
    help="Also apply the unsafe fixes (with --fix), and count them as fixable.",
)
@click.option(
    "--diff",
    is_flag=True,
    help="Print a unified diff of what --fix would change, and change nothing; exit 1 if it would change something.",
)
@click.option(
    "--show-fixes", is_flag=True, help="List the fixes applied (with --fix) or available, per file, in the text report."
)
@click.option(
    "--unfixable",
    multiple=True,
    metavar="CODES",
    help="Never fix these codes, prefixes or rule names (added to the config's `unfixable`).",
)
@click.option(
    "--exclude",
    multiple=True,
    metavar="GLOBS",
    help="Files and folders to skip, gitignore-style; replaces the config's `exclude`.",
)
@click.option("--extend-exclude", multiple=True, metavar="GLOBS", help="More files and folders to skip.")
@click.option(
    "--respect-gitignore/--no-respect-gitignore",
    default=None,
    help="Skip what .gitignore files ignore.  [default: respect]",
)
@click.option(
    "--force-exclude/--no-force-exclude",
    default=None,
    help="Skip excluded files even when named on the command line (as pre-commit names them).",
)
@click.option("--show-files", is_flag=True, help="Print the files that would be linted, and stop.")
@click.option("--show-settings", is_flag=True, help="Print the settings for the first file, and stop.")
@click.option(
    "--schema", "schema_spec", metavar="bundled|remote|PATH|URL", help="Schema to validate against.  [default: bundled]"
)
@click.option("--remote/--no-remote", default=None, help="Also ask the Nexlayer API's POST /validate.")
@click.option(
    "--offline",
    is_flag=True,
    help="Never use the network, whatever a config says: no --remote, and the bundled schema for a remote one.",
)
@click.option(
    "--remote-send-secrets", is_flag=True, default=None, help="Send secret values to /validate instead of placeholders."
)
@click.option(
    "--api-url",
    envvar="NEXLAYER_API_URL",
    metavar="URL",
    help="Nexlayer API base URL (env NEXLAYER_API_URL).  [default: https://app.nexlayer.io]",
)
@click.option(
    "--timeout", type=_Seconds(), help="Deadline in seconds for each API request, retries included.  [default: 10]"
)
@click.option(
    "--max-file-size",
    type=click.IntRange(1, MAX_FILE_SIZE_CAP),
    metavar="BYTES",
    help="Larger files are not parsed (NX001).  [default: 10 MiB]",
)
@click.option(
    "--config",
    "config_path",
    metavar="FILE",
    help="Use this config file for every file instead of each file's closest one.",
)
@click.option("--isolated", is_flag=True, help="Ignore every config file.")
@click.option(
    "--stdin-filename",
    metavar="NAME",
    help="File name to report for `-` (stdin), and to find its config by; without paths, reads stdin.",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour text output; honours NO_COLOR and FORCE_COLOR.",
)
@click.option(
    "--show-source/--no-show-source",
    default=None,
    help="Show the source line under each finding.  [default: on for a terminal]",
)
@click.option("--quiet", "-q", is_flag=True, help="Only the findings: no summary line.")
@click.option("--verbose", "-v", is_flag=True, help="Say which config and schema were used (on stderr).")
def check(
    paths: tuple[str, ...],
    formats: tuple[str, ...],
    output_files: tuple[str, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    severities: tuple[str, ...],
    fail_on: str | None,
    exit_zero: bool,
    statistics: bool,
    fix: bool | None,
    unsafe_fixes: bool | None,
    diff: bool,
    show_fixes: bool,
    unfixable: tuple[str, ...],
    exclude: tuple[str, ...],
    extend_exclude: tuple[str, ...],
    respect_gitignore: bool | None,
    force_exclude: bool | None,
    show_files: bool,
    show_settings: bool,
    schema_spec: str | None,
    remote: bool | None,
    remote_send_secrets: bool | None,
    offline: bool,
    api_url: str | None,
    timeout: float | None,
    max_file_size: int | None,
    config_path: str | None,
    isolated: bool,
    stdin_filename: str | None,
    color: str,
    show_source: bool | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Lint nexlayer.yaml files (default: find them under the current directory).

    Each file is linted with the closest config above it; command-line options win.
    """
    from nexlayer_lint.selection import select_files

    if not _current_folder_exists():  # paths, configs and reports are read from it (hunt 63 F2)
        _fail("the current folder no longer exists (it was removed or moved): run from a folder that exists")
    if paths[:1] == ("check",) and click.get_current_context().meta.get(_CHECK_NAMED_LATE):
        paths = paths[1:]  # `nexlayer-lint --isolated check`: the command's name, after options
    stdin_name = stdin_filename or "-"
    if stdin_filename is not None and "-" not in paths:
        if not paths:  # as ruff: naming standard input means reading it, not searching the tree
            paths = ("-",)
        else:
            _echo_error("nexlayer-lint: warning: --stdin-filename is used only with - (standard input)")
    if isolated and config_path is not None:  # as ruff: the named config would be dropped unseen (hunt 127 F1)
        _fail("--isolated reads no config file: it cannot go with --config")
    if offline and (remote or remote_send_secrets or (schema_spec and schema_uses_network(schema_spec))):
        _fail("--offline uses no network: it cannot go with --remote, --remote-send-secrets or a remote --schema")
    try:
        options = Options(
            offline=offline,
            select=parse_codes(_split(select), "--select") if select else None,
            ignore=parse_codes(_split(ignore), "--ignore", turning_off=True) if ignore else None,
            severity=parse_severities(_split(severities), "--severity") if severities else None,
            extend_exclude=_globs(extend_exclude, "--extend-exclude"),
            unfixable=parse_codes(_split(unfixable), "--unfixable") if unfixable else None,
            replaced={
                "fail_on": fail_on,
                "fix": fix,
                "unsafe_fixes": unsafe_fixes,
                "schema": schema_spec,
                "remote": remote,
                "remote_send_secrets": remote_send_secrets,
                "api_url": api_url,
                "timeout": timeout,
                "max_file_size": max_file_size,
                "exclude": _globs(exclude, "--exclude"),
                "respect_gitignore": respect_gitignore,
                "force_exclude": force_exclude,
            },
        )
        resolver = Resolver(options, config_path, isolated)
        selection = select_files(paths, resolver, stdin_filename)
        targets = selection.files
        if show_settings:
            first = stdin_name if targets[:1] == ["-"] else (targets[0] if targets else None)
            click.echo(
                show_settings_text(resolver.for_file(first) if first else resolver.for_folder(""), first), nl=False
            )
            sys.exit(EXIT_OK)
        settings_of = [resolver.for_file(stdin_name if target == "-" else target) for target in targets]
    except ConfigError as exc:
        _fail(str(exc))
    if remote_send_secrets and api_url is None:
        # where the secrets go is the command line's choice too, not a config's that came with
        # the repository: a pull request's `api-url` received them (hunt 140 F5)
        configured = next((s.api_url for s in settings_of if s.api_url), None)
        if configured is not None:
            from nexlayer_lint.http_client import display_url

            _fail(
                f"--remote-send-secrets sends secrets only to an API named on the command line: a config's "
                f"api-url ({display_url(configured)}) comes with the repository; pass --api-url to send them there"
            )
    if show_files:
        for target in targets:
            click.echo(_printable_path(target))
        sys.exit(EXIT_OK)
    if len(output_files) > max(len(formats), 1):
        _fail("each --output-file needs its own --format (they pair up in order)")
    reports = _pair_reports(list(formats), list(output_files), click.get_current_context().meta.get(_OUTPUT_ORDER))
    # `-o -` is standard output, as for the files linted (it wrote a file named `-`: hunt 99)
    reports = [(fmt, None if target == "-" else target) for fmt, target in reports]
    if sum(1 for _, target in reports if target is None) > 1:
        _fail("only one --format can go to standard output; give the others an --output-file")
    seen: dict[object, str | None] = {}
    for _, report_file in reports:
        destination = _destination(report_file)
        if destination in seen:
            other = seen[destination]
            shown = _printable_path(report_file or other or "-")
            if report_file is None or other is None:
                _fail(f"--output-file {shown} is standard output, where another report goes")
            _fail(f"two reports name one --output-file, {shown}: the second would replace the first")
        seen[destination] = report_file
    if statistics and (len(reports) > 1 or reports[0][0] not in ("text", "json")):
        _fail("--statistics prints one table, as text or json")

    if diff and (statistics or output_files or reports[0][0] != "text"):
        _fail("--diff prints a diff and no report: it takes no --statistics, --output-format or --output-file")
    fixing = diff or any(settings.fix for settings in settings_of)
    given_back = False
    if "-" in paths and "-" not in targets and not diff:
        # `-` left out by --force-exclude: an editor piping its buffer through --fix gets it back as it was
        stdin_settings = resolver.for_file(stdin_name)
        if stdin_settings.fix:
            _give_back_stdin(_read_stdin(stdin_settings.max_file_size)[0])
            given_back = True
    # before a run of no files too, whose empty report would replace that file (hunt 146 F2)
    _refuse_reports_over_targets(reports, targets)
    if not targets:
        if not quiet:
            # as ruff's "No Python files found", but naming what the config's excludes left out
            left_out = ", ".join(map(_printable, selection.left_out))
            why = f" (left out by force-exclude: {left_out})" if left_out else ""
            click.echo(f"nexlayer-lint: no nexlayer.yaml or nexlayer.yml found{why}", err=True)
        if not diff:
            searched = next((path for path in paths if path != "-"), "")
            folder = searched if not searched or os.path.isdir(searched) else os.path.dirname(searched)
            _write_empty_reports(reports, resolver, folder, quiet=quiet, statistics=statistics, stdout=not given_back)
        sys.exit(EXIT_OK)
    if len(selection.missing) == len(targets):  # nothing to report on: say so on stderr only
        if all(destination is None for _, destination in reports):
            _fail("; ".join(f"{path}: no such file" for path in selection.missing))
        # but each --output-file says it, as when one of two is missing: an earlier run's report
        # left in place read as this run's (hunt 76 F4)
        reports = [(fmt, destination) for fmt, destination in reports if destination is not None]

    from nexlayer_lint.engine import fails
    from nexlayer_lint.model import RunInfo
    from nexlayer_lint.reporters import ReportOptions, render
    from nexlayer_lint.schema import SchemaLoadError

    stdin: list[bytes] = []  # standard input as read, for --fix to give back
    masked_text = not statistics and _reads_source(reports, show_source)
    try:
        asked_later = set() if diff else _fixed_under_another_name(targets, settings_of)
        results, linter_of = _lint_all(targets, settings_of, stdin_filename, stdin, masked_text, diff, asked_later)
    except SchemaLoadError as exc:  # a bad schema (--schema or a config's) is a usage error
        _fail(str(exc))
    run = RunInfo(tool_version=__version__, schema=linter_of[0].schema.info)
    if verbose:
        configs = ", ".join(resolver.configs) or "(none)"
        _echo_error(
            f"nexlayer-lint {__version__}: config {configs}; schema {run.schema.describe()}; {len(results)} file(s)"
        )
    unsafe = _common(s.unsafe_fixes for s in settings_of)
    # each file's own choice: --fix follows it, so [*] and every count must too (hunt 76 F2)
    unsafe_of = {result.path: s.unsafe_fixes for result, s in zip(results, settings_of, strict=True)}
    fixed: dict[str, tuple[Diagnostic, ...]] | None = None
    fix_failed = False
    if fixing:
        done = _fix(targets, settings_of, results, linter_of, stdin, diff, asked_later)
        results, fixed, fix_failed = done.results, done.applied, done.failed
        if diff:
            click.echo(_printable_diff("".join(done.diffs)), nl=False)
            if not quiet and (fixed or not fix_failed):  # not "nothing to fix" after a file it could not read
                _echo_error(_would_fix(fixed, results, unsafe_of))
            if fix_failed or any(result.error for result in results):
                _report_errors(results)
                sys.exit(EXIT_ERROR)
            sys.exit(EXIT_FINDINGS if any(done.diffs) and not exit_zero else EXIT_OK)
        if done.stdout is not None:
            _give_back_stdin(done.stdout)
    # With `-` fixed to standard output, the reports meant for it go to standard error (as ruff's).
    to_stderr = fixing and "-" in targets and settings_of[targets.index("-")].fix
    if statistics:
        fmt, destination = reports[0]
        table = statistics_text(results, unsafe_of) if fmt == "text" else statistics_json(results, unsafe_of)
        if destination is None:
            click.echo(table, nl=False, err=to_stderr)
        else:
            _write_report(destination, table)
        reports = []
    stdout_tty = (sys.stderr if to_stderr else sys.stdout).isatty()
    # JUnit fails a file's test case at that file's fail level, as the exit code does
    fail_on_of = {result.path: settings.fail_on for result, settings in zip(results, settings_of, strict=True)}
    for fmt, destination in reports:
        report_options = ReportOptions(
            color=_use_color(color, stdout_tty) if destination is None else color == "always",
            show_source=show_source if show_source is not None else (stdout_tty and destination is None),
            quiet=quiet,
            fail_on_of=fail_on_of,
            unsafe_fixes=unsafe,
            unsafe_fixes_of=unsafe_of,
            show_fixes=show_fixes,
            fixed=fixed,
        )
        text = render(fmt, results, run, report_options)
        if destination is None:
            # click strips ANSI when stdout is not a terminal; --color always / FORCE_COLOR mean keep it
            try:
                _echo_report(text, fmt, report_options.color, to_stderr)
            except BrokenPipeError:
                raise  # `| head`: click ends the run quietly
            except OSError as exc:  # a full disk (`> /dev/full`): no report is no pass
                stream = "standard error" if to_stderr else "standard output"
                _fail(f"cannot write the report to {stream}: {exc.strerror or exc}")
        else:
            _write_report(destination, text)
    _report_errors(results)
    if fix_failed or any(result.error for result in results):
        sys.exit(EXIT_ERROR)
    failed = any(
        fails(d, settings) for result, settings in zip(results, settings_of, strict=True) for d in result.diagnostics
    )
    sys.exit(EXIT_FINDINGS if failed and not exit_zero else EXIT_OK)


def _reads_source(reports: list[tuple[str, str | None]], show_source: bool | None) -> bool:
    """Whether a report shows or hashes the files' masked text (code frames, fingerprints), so the
    linter must make it. Which terminal a report goes to is known only after --fix, so either
    one being a terminal counts."""
    from nexlayer_lint.reporters import ReportOptions, reads_source

    tty = sys.stdout.isatty() or sys.stderr.isatty()
    return any(
        reads_source(
            fmt, ReportOptions(show_source=show_source if show_source is not None else (tty and target is None))
        )
        for fmt, target in reports
    )


def _report_errors(results: Sequence[FileResult]) -> None:
    for result in results:
        if result.error:
            _echo_error(f"nexlayer-lint: {result.error}")


def _common(values: Iterable[Any]) -> Any:
    """The value every file's settings share, else None (for a run-wide choice from per-file settings)."""
    distinct = set(values)
    return distinct.pop() if len(distinct) == 1 else None


def _globs(values: tuple[str, ...], option: str) -> tuple[PathPattern, ...] | None:
    """Command-line globs, relative to the current folder (as ruff's)."""
    if not values:
        return None
    try:
        return tuple(user_pattern(os.getcwd(), glob) for glob in check_globs(_split(values), option))
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def _lint_all(
    targets: list[str],
    settings_of: list[Settings],
    stdin_filename: str | None,
    stdin: list[bytes],
    masked_text: bool = True,
    diff: bool = False,
    asked_later: set[int] | frozenset[int] = frozenset(),
) -> tuple[list[FileResult], list[Linter]]:
    """Every target's result and Linter, in order. Files with the same settings share a Linter (one
    schema, built once) and form one batch, which the batch runner may share out between
    processes. Standard input, once read, is kept in `stdin` (for --fix to give back).
    `masked_text`: whether a report reads the files' masked text (Linter's).
    A file --fix or --diff will read again is not sent to /validate now: --fix asks about the fixed
    text once (`_fix`), and --diff shows no report (each file was posted twice); nor are the
    names in `asked_later` (_fixed_under_another_name)."""
    from nexlayer_lint import parallel
    from nexlayer_lint.engine import Linter
    from nexlayer_lint.files import read

    groups: dict[int, list[int]] = {}
    for index, settings in enumerate(settings_of):
        groups.setdefault(id(settings), []).append(index)
    # what the run knows of each API endpoint: one found down costs one deadline; the secrets sent to it
    endpoints: dict[object, Any] = {}
    linters = [Linter(settings_of[indexes[0]], masked_text, endpoints=endpoints) for indexes in groups.values()]
    for linter in linters:
        linter.schema  # noqa: B018 - resolve each schema up front: a bad one stops the run before any output
    results: list[FileResult | None] = [None] * len(targets)
    linter_of: list[Linter] = [None] * len(targets)  # type: ignore[list-item]
    for linter, indexes in zip(linters, groups.values(), strict=True):
        paths = [targets[i] for i in indexes]
        workers = 0 if "-" in paths else parallel.workers_for(len(paths), linter)
        if workers > 1:  # a big batch: forked workers, results in the same order
            done: Iterable[FileResult] = parallel.lint_files(linter, paths, read, workers)
        else:
            done = (
                _lint_one(
                    linter,
                    targets[index],
                    stdin_filename,
                    read,
                    stdin,
                    not (_fixed_later(linter.settings, targets[index], diff) or index in asked_later),
                )
                for index in indexes
            )
        for index, result in zip(indexes, done, strict=True):
            results[index], linter_of[index] = result, linter
    return results, linter_of  # type: ignore[return-value]


def _fixed_later(settings: Settings, target: str, diff: bool) -> bool:
    """Whether `target`'s first lint leaves /validate out: --diff asks nothing (it shows no
    report), and --fix asks once, after fixing, about a file it reads again (not a pipe, which
    can be read only once)."""
    return diff or (settings.fix and (target == "-" or not _read_once(target)))


def _fixed_under_another_name(targets: list[str], settings_of: list[Settings]) -> set[int]:
    """The names, asking /validate without --fix, of a file that --fix fixes under another name
    (a config of its own folder): asked before the fix, they posted the text about to be replaced,
    then again after the write (hunt 113 F6). Their first lint leaves /validate out; `_fix` asks."""
    from nexlayer_lint.selection import file_identity

    if not any(s.fix for s in settings_of) or not any(s.remote and not s.fix for s in settings_of):
        return set()
    fixed = {file_identity(t) for t, s in zip(targets, settings_of, strict=True) if s.fix and t != "-"}
    return {
        index
        for index, (target, settings) in enumerate(zip(targets, settings_of, strict=True))
        if settings.remote and not settings.fix and target != "-" and file_identity(target) in fixed
    }


def _lint_one(
    linter: Linter, target: str, stdin_filename: str | None, read: Any, stdin: list[bytes], ask_api: bool = True
) -> FileResult:
    from nexlayer_lint.model import FileResult

    limit = linter.settings.max_file_size
    name = (stdin_filename or "-") if target == "-" else target
    if target == "-":
        raw, error = _read_stdin(limit)
        stdin.append(raw)
    else:
        raw, error = read(target, limit)
    return linter.lint(raw, name, ask_api) if error is None else FileResult(name, (), "", error)


class _Fixing(NamedTuple):
    results: list[FileResult]  # the fixed files' results replaced by their lint after fixing
    applied: dict[str, tuple[Diagnostic, ...]]  # a changed file's name -> the findings fixed (or, --diff, to be)
    diffs: list[str]
    stdout: bytes | None  # `-` fixed, for standard output
    failed: bool  # a file could not be read again or written


def _fix(
    targets: list[str],
    settings_of: list[Settings],
    results: list[FileResult],
    linter_of: list[Linter],
    stdin: list[bytes],
    diff: bool,
    asked_later: set[int] | frozenset[int] = frozenset(),
) -> _Fixing:
    """--fix and --diff, after the lint: each file whose findings offer a fix its settings want is
    read again and fixed in passes (fix_files.fix_source), here in this process even when a batch
    runner linted it; then written (or its diff kept), and its result is the lint of the fixed text.
    The names in `asked_later` ask /validate here, once, about the file as it is after the writes."""

    from nexlayer_lint import fix_files
    from nexlayer_lint.files import read
    from nexlayer_lint.fixes import wanted_by
    from nexlayer_lint.selection import file_identity

    fixers: dict[int, Linter] = {}
    written: dict[object, int] = {}  # the files written, by identity: the index of the name fixed
    relinted: set[int] = set()  # the names whose result is a lint of the file as it is now, made here
    out = list(results)
    applied: dict[str, tuple[Diagnostic, ...]] = {}
    diffs: list[str] = []
    stdout: bytes | None = None
    failed = False
    for index, (target, settings, result) in enumerate(zip(targets, settings_of, results, strict=True)):
        if not (diff or settings.fix):
            continue
        if target == "-" and not diff:
            stdout = stdin[0] if stdin else b""  # given back as it was unless a fix changes it
        wanted = wanted_by(settings)
        linter = linter_of[index]
        # the first lint left /validate out (_lint_all): it is asked here, once, about the text kept
        ask_api = settings.remote and not diff and _fixed_later(settings, target, diff=False)
        if result.error or not any(d.fix is not None and wanted(d.fix) for d in result.diagnostics):
            if ask_api and not result.error:
                out[index] = _asked_again(linter, target, result, stdin)
                relinted.add(index)
            continue
        if target != "-" and _read_once(target):  # read again it would be empty: nothing to fix (hunt 63 F3)
            what = "show the fixes of" if diff else "fix"
            _echo_error(
                f"nexlayer-lint: error: cannot {what} {target}: not a regular file, it can be read only once"
                " (give its text on standard input: --fix -)"
            )
            failed = True
            continue
        raw, error = (stdin[0], None) if target == "-" else read(target, settings.max_file_size)
        if error is not None:
            _echo_error(f"nexlayer-lint: error: cannot fix {error}")
            failed = True
            continue
        fixer = fixers.setdefault(id(linter), fix_files.fixing_linter(linter.settings, linter.masked_text))
        outcome = fix_files.fix_source(raw, result.path, fixer, wanted)
        if outcome is None:  # no longer text the loader reads (changed since the lint): said as it is now
            if ask_api:
                out[index] = _asked_again(linter, target, result, stdin)
                relinted.add(index)
            continue
        _say_not_applied(result.path, outcome, settings.max_file_size)
        if not outcome.changed:
            rejected = {finding.fix for finding, _ in outcome.rejected}
            kept = _with_run_findings(linter.lint(raw, result.path), result) if ask_api else result
            if ask_api:
                relinted.add(index)
            out[index] = kept._replace(
                diagnostics=tuple(d._replace(fix=None) if d.fix in rejected else d for d in kept.diagnostics)
            )
            continue
        if diff:
            applied[result.path] = applied.get(result.path, ()) + outcome.applied
            diffs.append(fix_files.masked_diff(outcome, result.path))
            if outcome.result is not None:  # what is left after the fixes, for "N more with --unsafe-fixes"
                out[index] = _with_run_findings(outcome.result, result)  # (hunt 90 F3), as --fix counts
            continue
        if target == "-":
            stdout = outcome.raw
        else:
            try:
                fix_files.write_fixed(target, outcome.raw, raw)
            except OSError as exc:
                _echo_error(f"nexlayer-lint: error: cannot write the fixes to {target}: {exc.strerror or exc}")
                failed = True
                continue
            written[file_identity(target)] = index
        # (added to: standard input may be named as a file of the same run is: hunt 186 F3)
        applied[result.path] = applied.get(result.path, ()) + outcome.applied
        final = outcome.result
        if final is None or linter.settings.remote:
            final = linter.lint(outcome.raw, result.path)
        out[index] = _with_run_findings(final, result)
        relinted.add(index)
    if written:
        _lint_again_under_other_names(targets, out, linter_of, written, relinted)
    for index in sorted(asked_later - relinted):  # a file no fix changed: asked about as it was
        out[index] = _asked_again(linter_of[index], targets[index], out[index], stdin)
    return _Fixing(out, applied, diffs, stdout, failed)


def _asked_again(linter: Linter, target: str, earlier: FileResult, stdin: list[bytes]) -> FileResult:
    """`earlier`, a file's first lint without /validate, done again with it: --fix had nothing to
    change. A file that cannot be read again keeps `earlier`, its error said."""
    from nexlayer_lint.files import read
    from nexlayer_lint.model import FileResult

    raw, error = (stdin[0], None) if target == "-" else read(target, linter.settings.max_file_size)
    if error is not None:
        return FileResult(earlier.path, earlier.diagnostics, earlier.masked_text, f"cannot ask /validate about {error}")
    return _with_run_findings(linter.lint(raw, earlier.path), earlier)


def _read_once(path: str) -> bool:
    """Whether the file at `path` is a pipe or a device (`<(...)`, a FIFO), which --fix cannot read again."""
    import stat

    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False  # reading it again says why not


def _with_run_findings(fresh: FileResult, earlier: FileResult) -> FileResult:
    """`fresh`, a file's lint again, with the run's NX900 about the schema that `earlier` carried
    (given to the run's first file). Not an NX900 of `/validate`: the lint again asked anew, and
    the earlier one stayed beside its answer, twice or saying the API was not used (hunt 74 F4)."""
    from nexlayer_lint.engine import is_schema_warning

    carried = tuple(d for d in earlier.diagnostics if is_schema_warning(d))
    return fresh._replace(diagnostics=tuple(sorted(carried + fresh.diagnostics, key=lambda d: d.sort_key)))


def _lint_again_under_other_names(
    targets: Sequence[str],
    results: list[FileResult],
    linter_of: Sequence[Linter],
    written: dict[object, int],
    relinted: set[int],
) -> None:
    """A file linted under two names with different settings (selection.select_files) and fixed
    under one: each name's report is of the file as it is now, not as it was before the write.
    Identities are taken after every write (a replaced file has a new inode), as `written`'s."""
    from nexlayer_lint.files import read
    from nexlayer_lint.selection import file_identity

    names: dict[object, list[int]] = {}
    for index, target in enumerate(targets):
        if target != "-":
            names.setdefault(file_identity(target), []).append(index)
    for identity, fixed in written.items():
        indexes = names.get(identity, [])
        if len(indexes) < 2:
            continue  # one name: its result is the lint of the fixed text already
        for index in indexes:
            if index >= fixed and index in relinted:
                continue  # linted after the last write (and /validate asked once): the fixed text's lint
            raw, error = read(targets[index], linter_of[index].settings.max_file_size)
            if error is None:
                results[index] = _with_run_findings(linter_of[index].lint(raw, results[index].path), results[index])
                relinted.add(index)


def _say_not_applied(name: str, outcome: Any, max_bytes: int) -> None:
    from nexlayer_lint import fix_files
    from nexlayer_lint.fixes import MAX_PASSES, MAX_TRIALS
    from nexlayer_lint.rules import RULES

    for finding, added in outcome.rejected:  # each finding left unfixed, once
        if "NX001" in added and fix_files.grows_past(outcome, finding.fix, max_bytes):
            why = f"the file would be larger than the limit of {max_bytes:,} bytes (--max-file-size)"
        elif "NX001" in added:
            why = "the file would no longer parse"
        else:
            why = "it would add " + (", ".join(f"{code} ({RULES[code].name})" for code in added) or "problems")
        _echo_error(
            f"nexlayer-lint: warning: {name}:{finding.line}:{finding.col}: {finding.code} not fixed "
            f"({finding.fix.title}): {why}"
        )
    for finding in outcome.left:
        _echo_error(
            f"nexlayer-lint: warning: {name}:{finding.line}:{finding.col}: {finding.code} not fixed "
            f"({finding.fix.title}): its fix was still offered when fixing stopped ({MAX_PASSES} passes, "
            f"or {MAX_TRIALS} lints sorting out fixes that made the file worse); run --fix again"
        )


def _would_fix(
    applied: Mapping[str, Sequence[Diagnostic]] | None,
    results: Sequence[FileResult],
    unsafe_of: Mapping[str, bool | None],
) -> str:
    """--diff's summary on standard error: how many fixes in how many files, and how many more unsafe ones."""
    from nexlayer_lint.reporters.text import unsafe_unsaid

    count = sum(len(found) for found in (applied or {}).values())
    files = sum(1 for found in (applied or {}).values() if found)
    hidden = unsafe_unsaid(results, unsafe_of.get)
    more = f" ({hidden} more with --unsafe-fixes)" if hidden else ""
    if not count:
        return f"nothing to fix{more}"
    return f"would fix {_plural(count, 'problem')} in {_plural(files, 'file')}{more}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _echo_report(text: str, fmt: str, color: bool, to_stderr: bool) -> None:
    """A report to standard output (or error): the machine formats as the UTF-8 they declare,
    whatever the stream's encoding (Windows writes a pipe in its ANSI code page, where a folder
    named 日本 could not be written: hunt 99 F2); text as the stream encodes it."""
    stream = sys.stderr if to_stderr else sys.stdout
    buffer = getattr(stream, "buffer", None)
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
    if fmt == "text" or buffer is None or encoding in ("utf-8", "utf8"):
        click.echo(text, nl=False, color=color, err=to_stderr)  # it flushes
        return
    stream.flush()
    buffer.write(text.encode("utf-8", "backslashreplace"))
    buffer.flush()


def _printable_diff(text: str) -> str:
    """A diff fit for the terminal: each line's text escaped as every report's is (its line break
    kept, so the diff still applies); a line a CI runner would take for a command, defused."""
    from nexlayer_lint.reporters.printable import printable

    numbers = [0, 0]  # the old and the new file's line numbers of the line being read

    def line(match: re.Match[str]) -> str:
        text = match.group()
        if hunk := _HUNK_HEADER.match(text):
            numbers[:] = [int(hunk.group(1)), int(hunk.group(2))]
        # a UTF-8 file's byte order mark after its first line's marker, kept for git and patch;
        # one starting a later line is escaped as any other (hunt 175 F3)
        first = (text[:1] in " -" and numbers[0] == 1) or (text[:1] in " +" and numbers[1] == 1)
        numbers[0] += text[:1] in " -"
        numbers[1] += text[:1] in " +"
        bom = first and text[1:2] == "\ufeff"
        shown = text[:2] + printable(text[2:], keep_tabs=True) if bom else printable(text, keep_tabs=True)
        # after its diff marker; or at its start, when a lone CR (a classic Mac file's line break,
        # which a diff keeps inside one line) starts it: CI runners end a line at a CR (hunt 99 F1)
        for start in (0, 1):
            if shown[start:].lstrip().startswith("::"):
                at = shown.index(":", start)
                return shown[:at] + "\\x3a" + shown[at + 1 :]
        return shown

    return re.sub(r"[^\r\n]+", line, text)


_HUNK_HEADER = lazy(r"@@ -([0-9]{1,18})(?:,[0-9]{1,18})? \+([0-9]{1,18})")


def statistics_text(results: Sequence[FileResult], unsafe_of: Mapping[str, bool | None] | None = None) -> str:
    """One line per code, most frequent first: count, code, name, and how many --fix would fix."""
    rows = _statistics(results, unsafe_of or {})
    width = max((len(str(row["count"])) for row in rows), default=1)
    name_width = max((len(str(row["name"])) for row in rows), default=0)
    lines = []
    for row in rows:
        fixable = f"  {row['fixable']} fixable" if row["fixable"] else ""
        lines.append(f"{row['count']:>{width}}  {row['code']}  {row['name']:<{name_width}}{fixable}".rstrip())
    return "".join(line + "\n" for line in lines)


def statistics_json(results: Sequence[FileResult], unsafe_of: Mapping[str, bool | None] | None = None) -> str:
    import json

    return json.dumps(_statistics(results, unsafe_of or {}), indent=2) + "\n"


def _statistics(results: Sequence[FileResult], unsafe_of: Mapping[str, bool | None]) -> list[dict[str, Any]]:
    """`fixable` counts the findings marked [*]: with a safe fix, or an unsafe one when the file's
    config wants unsafe fixes."""
    from collections import Counter

    from nexlayer_lint.reporters.text import fixable as marked

    counts: Counter[str] = Counter()
    fixable: Counter[str] = Counter()
    names: dict[str, str] = {}
    for result in results:
        for diagnostic in result.diagnostics:
            counts[diagnostic.code] += 1
            fixable[diagnostic.code] += marked(diagnostic, unsafe_of.get(result.path))
            names[diagnostic.code] = diagnostic.name
    order = sorted(counts, key=lambda code: (-counts[code], code))
    return [{"code": code, "name": names[code], "count": counts[code], "fixable": fixable[code]} for code in order]


def _setting_url(value: str) -> str:
    """A setting that may be a URL, as TOML: without its user-info and query, which may hold
    credentials (a comment says so)."""
    # `https:/user:pw@host` and `host/api?token=x`, mistyped, are URLs too (hunt 115 F1); a
    # schema file that exists is a path, whatever it holds (`C#/schema.json`: hunt 117 F4)
    if not any(mark in value for mark in ("://", "@", "?", "#", ";")) or os.path.isfile(value):
        return _toml_string(value)
    from nexlayer_lint.http_client import display_url

    shown = display_url(value)
    return _toml_string(shown) + ("" if shown == value else "  # scheme, host, port and path only")


def _toml_string(text: str) -> str:
    """`text` as a TOML basic string, in ASCII: an astral character as one `\\UXXXXXXXX`
    (json.dumps' surrogate pairs are no TOML: hunt 127 F2). A lone surrogate (a name's byte that
    is no UTF-8), which no TOML string can hold, raises UnicodeEncodeError."""
    text.encode("utf-8")
    escaped = []
    for char in text:
        if char in '"\\':
            escaped.append("\\" + char)
        elif " " <= char <= "~":
            escaped.append(char)
        else:
            escaped.append(f"\\U{ord(char):08x}" if ord(char) > 0xFFFF else f"\\u{ord(char):04x}")
    return '"' + "".join(escaped) + '"'


def show_settings_text(settings: Settings, path: str | None) -> str:
    """`--show-settings`: the settings one file gets, as config keys (TOML), and where they came from."""
    import json

    def toml_or_note(key: str, value: Callable[[], str]) -> str:
        try:
            return f"{key} = {value()}"
        except UnicodeEncodeError:  # a byte of a name that is no UTF-8 (hunt 130 F6)
            return f"# {key}: holds a name with a byte that is no UTF-8, which no TOML string can hold"

    def globs(patterns: tuple[PathPattern, ...]) -> str:
        return "[" + ", ".join(_toml_string(pattern.glob) for pattern in patterns) + "]"

    def per_file(ignores: tuple[tuple[PathPattern, tuple[str, ...]], ...]) -> str:
        return ", ".join(f"{_toml_string(glob.glob)} = {json.dumps(list(codes))}" for glob, codes in ignores)

    bases = sorted({p.base for p in settings.excluded + tuple(p for p, _ in settings.per_file_ignores) if p.base})
    lines = [
        f"# nexlayer-lint {__version__}: settings for {_printable(path) if path else 'files in the current folder'}",
        f"# config: {_printable(settings.config_file) if settings.config_file else '(none)'}",
        *(f"# extends: {_printable(parent)}" for parent in settings.extended),
        *(f"# globs relative to: {_printable(base)}" for base in bases),
        f"select = {json.dumps(list(settings.select))}",
        f"ignore = {json.dumps(list(settings.ignore))}",
        f"severity = {{{', '.join(f'{code} = {json.dumps(level)}' for code, level in settings.severity.items())}}}",
        f"fail-on = {json.dumps(settings.fail_on)}",
        toml_or_note("schema", lambda: _setting_url(settings.schema)),
        f"remote = {json.dumps(settings.remote)}",
        f"remote-send-secrets = {json.dumps(settings.remote_send_secrets)}  # command line only",
        toml_or_note("api-url", lambda: _setting_url(settings.api_url or ""))
        if settings.api_url
        else f"# api-url: not set (then NEXLAYER_API_URL, else {DEFAULT_API_URL})",
        f"timeout = {settings.timeout!r}",
        f"schema-ttl-hours = {settings.schema_ttl_hours!r}",
        f"max-file-size = {settings.max_file_size}",
        toml_or_note("exclude", lambda: globs(settings.exclude)),
        toml_or_note("extend-exclude", lambda: globs(settings.extend_exclude)),
        toml_or_note("per-file-ignores", lambda: f"{{{per_file(settings.per_file_ignores)}}}"),
        f"respect-gitignore = {json.dumps(settings.respect_gitignore)}",
        f"force-exclude = {json.dumps(settings.force_exclude)}",
        f"fix = {json.dumps(settings.fix)}",
        f"unsafe-fixes = {json.dumps(settings.unsafe_fixes)}"
        if settings.unsafe_fixes is not None
        else "# unsafe-fixes: not set (not applied; the summary counts them)",
        f"fixable = {json.dumps(list(settings.fixable))}  # empty: every code",
        f"extend-fixable = {json.dumps(list(settings.extend_fixable))}",
        f"unfixable = {json.dumps(list(settings.unfixable))}",
    ]
    return "".join(line + "\n" for line in lines)


def _destination(target: str | None) -> object:
    """What names a report's destination however it is spelt (None: standard output): a file by
    its device and inode, so a link to another report's file, or `-o /dev/stdout` beside a report
    on standard output, is one destination (hunt 127 F3); a file not there yet by its path with
    every link resolved (a link to it, `..` after a linked folder: hunt 130 F2); a terminal by
    its device (F7); `/dev/null`, which takes any number of reports, by its spelling."""
    import stat

    by_path = "-" if target is None else os.path.realpath(target)
    try:
        info = os.fstat(1) if target is None else os.stat(target)
    except (OSError, ValueError):
        return by_path
    if stat.S_ISCHR(info.st_mode):
        null = os.stat(os.devnull)
        if (info.st_rdev, info.st_mode) == (null.st_rdev, null.st_mode):
            return "-" if target is None else os.path.abspath(target)
        return ("device", info.st_rdev)
    return (info.st_dev, info.st_ino) if info.st_ino else by_path


def _refuse_reports_over_targets(reports: Sequence[tuple[str, str | None]], targets: Sequence[str]) -> None:
    """An --output-file that is a file being linted, or named as a Nexlayer file is, would replace
    one with a report: exit 2 first. pre-commit gives a folder named `-oevil` as
    `-oevil/nexlayer.yaml`, which reads as `-o evil/nexlayer.yaml` and wrote the report over that
    deployment file, linted in this run or not (hunt 81 F5, hunt 82 F5)."""
    from nexlayer_lint.selection import FILE_NAMES, file_identity

    destinations = [destination for _, destination in reports if destination is not None]
    if not destinations:
        return
    linted = {file_identity(target) for target in targets if target != "-"}
    for destination in destinations:
        if os.path.basename(destination) in FILE_NAMES:
            _fail(f"--output-file {destination} is named as a Nexlayer file: a report never goes there")
        # a symlink, dangling or not, is written through (hunt 115 F3: a repository's own
        # `report.sarif -> deploy/nexlayer.yaml` had the report replace that deployment file)
        if os.path.basename(os.path.realpath(destination)) in FILE_NAMES:
            _fail(f"--output-file {destination} leads to a Nexlayer file through a link: a report never goes there")
        if os.path.exists(destination) and file_identity(destination) in linted:
            _fail(f"--output-file {destination} is a file being linted: its report would replace it")


def _write_empty_reports(
    reports: list[tuple[str, str | None]],
    resolver: Resolver,
    folder: str,
    *,
    quiet: bool,
    statistics: bool,
    stdout: bool,
) -> None:
    """Each report of no files (a SARIF run with no results, `[]`...): a CI step that uploads an
    --output-file finds it, never missing, nor one of an earlier run (hunt 45 F3), and one that
    reads standard output (`> x.sarif`, `| jq`) gets a document, not nothing (hunt 76 F1). The
    text report alone stays empty: stderr has said why. `stdout`: False when standard output
    already holds what `--fix -` gave back. `folder`: the first folder searched, whose config
    names the schema."""
    reports = [(fmt, to) for fmt, to in reports if to is not None or (stdout and fmt != "text")]
    if not reports:
        return  # and no config read: a broken one that no file uses ends no such run (hunt 77 F6)
    try:
        settings = resolver.for_folder(folder)  # the schema a report of no files names: the searched folder's
    except ConfigError as exc:
        _fail(str(exc))
    from nexlayer_lint.engine import Linter
    from nexlayer_lint.model import RunInfo
    from nexlayer_lint.reporters import ReportOptions, render
    from nexlayer_lint.schema import SchemaLoadError

    try:
        run = RunInfo(tool_version=__version__, schema=Linter(settings).schema.info)
    except SchemaLoadError as exc:
        _fail(str(exc))
    for fmt, destination in reports:
        if statistics:  # one table, as text or json (checked before)
            report = statistics_text([], None) if fmt == "text" else statistics_json([], None)
        else:
            report = render(fmt, [], run, ReportOptions(quiet=quiet))
        if destination is None:
            click.echo(report, nl=False)
        else:
            _write_report(destination, report)


def _printable_path(path: str) -> str:
    """A path that begins an output line: printable, and `./` before a `::` a CI runner would obey."""
    from nexlayer_lint.reporters.printable import at_line_start

    return at_line_start(_printable(path))


def _printable(text: str) -> str:
    """A name fit for the terminal: control characters escaped (a file name may hold any)."""
    from nexlayer_lint.reporters.printable import printable

    return printable(text)


def _read_stdin(limit: int) -> tuple[bytes, str | None]:
    try:
        # Bounded like a file: `- < /dev/zero` stops at the limit instead of filling memory. In
        # 1 MiB reads, as a file is read: one read(limit + 1) allocates the whole limit at once,
        # which a large --max-file-size turns into a MemoryError.
        stream = sys.stdin.buffer
        chunks, size = [], 0
        while size <= limit and (chunk := stream.read(min(1 << 20, limit + 1 - size))):
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks), None
    except OSError as exc:
        return b"", f"-: cannot read: {exc.strerror or exc}"


def _give_back_stdin(head: bytes) -> None:
    """`head` (what _read_stdin read, or the text --fix made of it) to standard output, then the
    rest of standard input, which only a text over the size limit still holds (and that one is
    never fixed), copied in 1 MiB reads (hunt 43 F1: an editor piping its buffer through `--fix -`
    got it back cut at the limit)."""
    out = sys.stdout.buffer
    out.write(head)
    try:
        while chunk := sys.stdin.buffer.read(1 << 20):
            out.write(chunk)
    except OSError:  # pragma: no cover - stdin went away after its first read
        pass
    out.flush()


def _pair_reports(formats: list[str], outputs: list[str], order: list[str] | None) -> list[tuple[str, str | None]]:
    """Each --output-file goes with the --format just before it; a format without one, to stdout.

    `--format text --format sarif -o out.sarif` is text on the terminal and SARIF in the file.
    Without a --format, one --output-file takes the text report. `order` is the command-line order
    of the two options' names; without it (no parse record) they pair by position.
    """
    if not formats:
        return [("text", outputs[0] if outputs else None)]
    if order is None or len(order) != len(formats) + len(outputs):
        return [(fmt, outputs[i] if i < len(outputs) else None) for i, fmt in enumerate(formats)]
    pairs: list[list[str | None]] = []
    fmts, files = iter(formats), iter(outputs)
    for name in order:
        if name == "formats":
            pairs.append([next(fmts), None])
            continue
        target = next(files)
        if not pairs or pairs[-1][1] is not None:
            _fail(f"--output-file {target} must follow the --format it is for")
        pairs[-1][1] = target
    return [(str(fmt), target) for fmt, target in pairs]


def _use_color(choice: str, tty: bool) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return tty


def _write_report(target: str, text: str) -> None:
    """Atomically for a file; through a symlink, FIFO or device (reporters/output_file.py)."""
    from nexlayer_lint.reporters.output_file import write_report

    try:
        write_report(target, text)
    except OSError as exc:
        _fail(f"cannot write {target}: {exc.strerror or exc}")


def _echo_error(message: str) -> None:
    """A line on standard error, every control character in it escaped (file names and values
    come from the repository or a server; see reporters/printable.py)."""
    _echo(message, err=True)


def _echo(line: str, err: bool = False) -> None:
    from nexlayer_lint.reporters.printable import printable

    click.echo(printable(line), err=err)


def _current_folder_exists() -> bool:
    try:
        os.getcwd()
    except FileNotFoundError:
        return False
    return True


def _fail(message: str) -> None:
    _echo_error(f"nexlayer-lint: error: {message}")
    sys.exit(EXIT_ERROR)


@main.command()
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="Print every rule's page.")
@click.option(
    "--output-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: code, name, severity, summary and page URL of each rule.",
)
def rule(code: str | None, show_all: bool, output_format: str) -> None:
    """Explain a rule: its page, by code or name (NX215, unpinned-image); a prefix (NX2) or nothing lists rules."""
    from nexlayer_lint.docs import rule_text, rule_url
    from nexlayer_lint.rules import RULES, by_name_or_code

    found = by_name_or_code(code) if code else None
    chosen = [found] if found else [r for r in RULES.values() if r.code.startswith((code or "").strip().upper())]
    if not chosen:
        _fail(f'no rule "{_printable(code or "")}"; `nexlayer-lint rule` lists them')
    if output_format == "json":
        import json

        listed = [
            {"code": r.code, "name": r.name, "severity": r.severity, "summary": r.summary, "url": rule_url(r.code)}
            for r in chosen
        ]
        click.echo(json.dumps(listed[0] if found else listed, indent=2))
    elif show_all or found:
        pages = [rule_text(r.code) for r in chosen]
        click.echo("\n---\n\n".join(page.rstrip() + "\n" for page in pages), nl=False)
    else:
        for known in chosen:
            click.echo(f"{known.code}  {known.name:<28} {known.severity:<8} {known.summary}")


@main.group()
def schema() -> None:
    """The JSON Schema: where it lives, print it, refresh it from the API."""


@schema.command("path")
@click.option(
    "--schema",
    "schema_spec",
    metavar="bundled|remote|PATH|URL",
    help="The schema to locate.  [default: the config's `schema`, else bundled]",
)
@click.option("--api-url", envvar="NEXLAYER_API_URL", metavar="URL")
@click.option(
    "--editor",
    is_flag=True,
    help="The bundled schema's editor flavour: completion and hover, no validation (for "
    "yaml-language-server beside `nexlayer-lint server`).",
)
def schema_path(schema_spec: str | None, api_url: str | None, editor: bool) -> None:
    """Print the path of the schema file in use (point yaml-language-server at it)."""
    from nexlayer_lint import schema as schema_module

    try:
        settings = discover(Path.cwd()).with_options(schema=schema_spec, api_url=api_url)
    except ConfigError as exc:
        _fail(str(exc))
    if editor:
        if settings.schema != "bundled":
            _fail("--editor gives the bundled schema's editor flavour; it has none for another schema")
        from nexlayer_lint.editor_schema import EDITOR_PATH

        click.echo(str(EDITOR_PATH))
        return
    if settings.schema == "bundled":
        click.echo(str(schema_module.BUNDLED_PATH))
        return
    from nexlayer_lint.engine import choose_schema

    try:
        choice = choose_schema(settings.schema, settings.api_url, settings.schema_ttl_hours, settings.timeout)
    except schema_module.SchemaLoadError as exc:
        _fail(str(exc))
    if choice.warning:
        _echo_error(f"nexlayer-lint: warning: {choice.warning}")
    location = choice.info.location if choice.info.source != "bundled" else str(schema_module.BUNDLED_PATH)
    if choice.info.source in ("url", "cache"):  # it lives in the cache, if that was writable
        from nexlayer_lint import schema_cache

        cached = schema_cache.cached_schema_path(schema_cache.url_for(settings.schema, settings.api_url))
        location = str(cached) if cached and cached.is_file() else location  # else the URL, fit to print
    _echo(location)


@schema.command("fetch")
@click.option(
    "--schema",
    "schema_spec",
    metavar="remote|URL",
    help="The API's GET /schema, or a schema URL.  [default: the config's `schema` when it is a URL, else remote]",
)
@click.option(
    "--api-url",
    envvar="NEXLAYER_API_URL",
    metavar="URL",
    help="Nexlayer API base URL (env NEXLAYER_API_URL).  [default: the config's `api-url`, else https://app.nexlayer.io]",
)
@click.option(
    "--timeout",
    type=_Seconds(),
    help="Deadline in seconds for the request, retries included.  [default: the config's `timeout`, else 10]",
)
@click.option("--isolated", is_flag=True, help="Read no config (its api-url, timeout and schema).")
def schema_fetch(schema_spec: str | None, api_url: str | None, timeout: float | None, isolated: bool) -> None:
    """Refresh the cached schema from the API now; print its version and sha256 digest.

    It refreshes what `check` would fetch here: the config's `api-url`, `timeout` and a `schema`
    URL count, as for `schema path`."""
    from nexlayer_lint import schema_cache
    from nexlayer_lint.http_client import display_url

    try:
        settings = (Settings() if isolated else discover(Path.cwd())).with_options(api_url=api_url, timeout=timeout)
    except ConfigError as exc:
        _fail(f"{exc} (--isolated reads no config)")
    if schema_spec is None:
        schema_spec = settings.schema if schema_uses_network(settings.schema) else "remote"
    api_url, timeout = settings.api_url, settings.timeout
    if not schema_uses_network(schema_spec):
        shown = display_url(schema_spec) if "://" in schema_spec else schema_spec
        _fail(f'schema fetch takes "remote" or an https URL, not "{shown}"')
    url = schema_cache.url_for(schema_spec, api_url)
    fetched = schema_cache.refresh_schema(url, timeout=timeout)
    if fetched.schema is None or fetched.info is None or fetched.info.source != "url":
        _fail(fetched.warning or f"could not fetch the schema from {display_url(url)}")
    for message in (fetched.warning, fetched.note):
        if message:
            _echo_error(f"nexlayer-lint: warning: {message}")
    cached = schema_cache.cached_schema_path(url)
    click.echo(f"url:     {display_url(url)}")
    _echo(f"version: {fetched.info.version}")  # type: ignore[union-attr]
    click.echo(f"sha256:  {fetched.info.sha256}")  # type: ignore[union-attr]
    _echo(f"cache:   {cached if cached and cached.is_file() else '(not written)'}")


@schema.command("show")
def schema_show() -> None:
    """Print the bundled schema."""
    from nexlayer_lint import schema as schema_module

    click.echo(schema_module.BUNDLED_PATH.read_text(encoding="utf-8"), nl=False)


@main.command()
def server() -> None:
    """Run the language server (LSP over stdio) for editors."""
    try:
        from nexlayer_lint.server import serve
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in ("pygls", "lsprotocol"):
            raise
        # not on PyPI: the extra comes with the repository's URL (or '.[lsp]' in a clone)
        _fail(
            "the language server needs pygls: "
            "pip install 'nexlayer-lint[lsp] @ git+https://github.com/nexlayer-lint/nexlayer-lint' "
            "(in a clone: pip install '.[lsp]')"
        )
    serve()
