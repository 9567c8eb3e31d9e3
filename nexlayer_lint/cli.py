"""The command line: click commands, the only place that exits.

Heavy modules (the engine, ruamel.yaml, jsonschema, HTTP) are imported inside the commands, so
`--version` and `--help` start in milliseconds.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from nexlayer_lint import __version__
from nexlayer_lint.config import SEVERITIES, ConfigError, discover, parse_codes, parse_severities

FILE_NAMES = ("nexlayer.yaml", "nexlayer.yml")
SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", ".tox", ".nox",
                       "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages"})
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class DefaultToCheck(click.Group):
    """`nexlayer-lint FILE` means `nexlayer-lint check FILE`, as with ruff."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


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
        try:
            # A dry parse: click keeps the order of option occurrences only here.
            _, _, order = self.make_parser(ctx).parse_args(args=list(args))
        except click.ClickException:
            order = []  # the real parse below reports it
        ctx.meta[_OUTPUT_ORDER] = [p.name for p in order if p.name in ("formats", "output_files")]
        return super().parse_args(ctx, args)


_OUTPUT_ORDER = "nexlayer_lint.output_order"


class _PathArgument(click.Path):
    """A path as given: shells still complete it as a path, but click does not stat it.

    click.Path.convert stats every argument even when it checks nothing, and a CI run may pass
    thousands; whether each exists or is a folder is decided once, when the files are found.
    """

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return value


@main.command(cls=_OrderedOutputs)
@click.argument("paths", nargs=-1, type=_PathArgument(path_type=str))
@click.option("--format", "formats", multiple=True,
              type=click.Choice(["text", "json", "sarif", "github", "junit", "gitlab"]),
              help="Output format; repeat with --output-file to write several reports.  [default: text]")
@click.option("--output-file", "-o", "output_files", multiple=True, type=click.Path(dir_okay=False),
              help="Write the report of the --format just before it to this file (atomically).")
@click.option("--select", multiple=True, metavar="CODES", help="Only these codes or prefixes (NX2, NX215).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these codes or prefixes.")
@click.option("--severity", "severities", multiple=True, metavar="CODE=LEVEL",
              help="Change a code's severity: error, warning or info.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), help="Lowest severity that fails the run.  [default: error]")
@click.option("--schema", "schema_spec", metavar="bundled|remote|PATH|URL",
              help="Schema to validate against.  [default: bundled]")
@click.option("--remote/--no-remote", default=None, help="Also ask the Nexlayer API's POST /validate.")
@click.option("--remote-send-secrets", is_flag=True, default=None,
              help="Send secret values to /validate instead of placeholders.")
@click.option("--api-url", envvar="NEXLAYER_API_URL", metavar="URL",
              help="Nexlayer API base URL (env NEXLAYER_API_URL).  [default: https://app.nexlayer.io]")
@click.option("--timeout", type=click.FloatRange(0.1, 300),
              help="Deadline in seconds for each API request, retries included.  [default: 10]")
@click.option("--max-file-size", type=click.IntRange(1), metavar="BYTES",
              help="Larger files are not parsed (NX001).  [default: 10 MiB]")
@click.option("--config", "config_path", metavar="FILE", help="Use this config file instead of discovering one.")
@click.option("--isolated", is_flag=True, help="Ignore every config file.")
@click.option("--stdin-filename", metavar="NAME", help="File name to report for `-` (stdin).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour text output; honours NO_COLOR and FORCE_COLOR.")
@click.option("--show-source/--no-show-source", default=None,
              help="Show the source line under each finding.  [default: on for a terminal]")
@click.option("--quiet", "-q", is_flag=True, help="Only the findings: no summary line.")
@click.option("--verbose", "-v", is_flag=True, help="Say which config and schema were used (on stderr).")
def check(paths: tuple[str, ...], formats: tuple[str, ...], output_files: tuple[str, ...],
          select: tuple[str, ...], ignore: tuple[str, ...], severities: tuple[str, ...],
          fail_on: str | None, schema_spec: str | None, remote: bool | None,
          remote_send_secrets: bool | None, api_url: str | None, timeout: float | None,
          max_file_size: int | None, config_path: str | None, isolated: bool,
          stdin_filename: str | None, color: str, show_source: bool | None, quiet: bool,
          verbose: bool) -> None:
    """Lint nexlayer.yaml files (default: find them under the current directory)."""
    try:
        settings = discover(Path.cwd(), config_path, isolated).with_options(
            select=parse_codes(_split(select), "--select") or None,
            ignore=parse_codes(_split(ignore), "--ignore") or None,
            severity=_merged_severities(severities, config_path, isolated),
            fail_on=fail_on, schema=schema_spec, remote=remote, remote_send_secrets=remote_send_secrets,
            api_url=api_url, timeout=timeout, max_file_size=max_file_size,
        )
    except ConfigError as exc:
        _fail(str(exc))
    if len(output_files) > max(len(formats), 1):
        _fail("each --output-file needs its own --format (they pair up in order)")
    reports = _pair_reports(list(formats), list(output_files), click.get_current_context().meta.get(_OUTPUT_ORDER))
    if sum(1 for _, target in reports if target is None) > 1:
        _fail("only one --format can go to standard output; give the others an --output-file")

    targets = list(_targets(paths))
    if not targets:
        if not quiet:
            click.echo("nexlayer-lint: no nexlayer.yaml or nexlayer.yml found", err=True)
        sys.exit(EXIT_OK)

    from nexlayer_lint import parallel
    from nexlayer_lint.engine import Linter, fails
    from nexlayer_lint.files import read
    from nexlayer_lint.model import FileResult, RunInfo
    from nexlayer_lint.reporters import ReportOptions, render
    from nexlayer_lint.schema import SchemaLoadError

    linter = Linter(settings)
    try:
        linter.schema  # resolve the schema once, up front: a bad --schema is a usage error
    except SchemaLoadError as exc:
        _fail(str(exc))
    results: list[FileResult] = []
    workers = 0 if "-" in targets else parallel.workers_for(len(targets), linter)
    if workers > 1:  # a big batch: forked workers, results in the same order
        results.extend(parallel.lint_files(linter, targets, read, workers))
        targets = []
    for target in targets:
        name = (stdin_filename or "-") if target == "-" else target
        raw, error = _read_stdin(settings.max_file_size) if target == "-" else read(target, settings.max_file_size)
        results.append(linter.lint(raw, name) if error is None else FileResult(name, (), "", error))

    run = RunInfo(tool_version=__version__, schema=linter.schema.info)
    if verbose:
        click.echo(f"nexlayer-lint {__version__}: config {settings.config_file or '(none)'}; "
                   f"schema {run.schema.describe()}; {len(results)} file(s)", err=True)
    stdout_tty = sys.stdout.isatty()
    for fmt, target in reports:
        options = ReportOptions(
            color=_use_color(color, stdout_tty) if target is None else color == "always",
            show_source=show_source if show_source is not None else (stdout_tty and target is None),
            quiet=quiet,
        )
        text = render(fmt, results, run, options)
        if target is None:
            # click strips ANSI when stdout is not a terminal; --color always / FORCE_COLOR mean keep it
            click.echo(text, nl=False, color=options.color)
        else:
            _write_atomically(Path(target), text)
    for result in results:
        if result.error:
            click.echo(f"nexlayer-lint: {result.error}", err=True)
    if any(result.error for result in results):
        sys.exit(EXIT_ERROR)
    failed = any(fails(d, settings) for result in results for d in result.diagnostics)
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


def _read_stdin(limit: int) -> tuple[bytes, str | None]:
    try:
        # Bounded like a file: `- < /dev/zero` stops at the limit instead of filling memory.
        return sys.stdin.buffer.read(limit + 1), None
    except OSError as exc:
        return b"", f"-: cannot read: {exc.strerror or exc}"


def _merged_severities(values: tuple[str, ...], config_path: str | None, isolated: bool) -> dict[str, Any] | None:
    if not values:
        return None
    from_file = discover(Path.cwd(), config_path, isolated).severity
    return {**from_file, **parse_severities(_split(values), "--severity")}


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


def _targets(paths: Sequence[str]) -> Iterator[str]:
    """Named files always; directories (and no argument: the current one) searched for nexlayer.y*ml."""
    seen: set[str] = set()
    for path in paths or (".",):
        if path == "-" or not os.path.isdir(path):
            found: Iterator[str] = iter([path])
        else:
            found = _discover(path)
        for item in found:
            if item not in seen:
                seen.add(item)
                yield item


def _discover(root: str) -> Iterator[str]:
    """Files in path order (`a/nexlayer.yaml` before `nexlayer.yaml`'s sibling `b/`), so reports diff cleanly."""
    return iter(sorted(_walk(root)))


def _walk(root: str) -> Iterator[str]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not os.path.isfile(os.path.join(folder, d, "pyvenv.cfg")))
        for name in sorted(files):
            if name in FILE_NAMES:
                path = os.path.join(folder, name)
                yield os.path.relpath(path) if not os.path.isabs(root) else path


def _write_atomically(path: Path, text: str) -> None:
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.",
                                         delete=False) as handle:
            handle.write(text)
        os.replace(handle.name, path)
    except OSError as exc:
        _fail(f"cannot write {path}: {exc.strerror or exc}")


def _fail(message: str) -> None:
    click.echo(f"nexlayer-lint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


@main.command()
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="Print every rule's page.")
def rule(code: str | None, show_all: bool) -> None:
    """Explain a rule: its page from rules/ (by code or name)."""
    from nexlayer_lint.docs import rule_text
    from nexlayer_lint.rules import RULES, by_name_or_code

    if show_all:
        pages = [rule_text(c) for c in RULES]
        click.echo("\n---\n\n".join(page.rstrip() + "\n" for page in pages), nl=False)
        return
    if not code:
        for known in RULES.values():
            click.echo(f"{known.code}  {known.name:<28} {known.severity:<8} {known.summary}")
        return
    found = by_name_or_code(code)
    if found is None:
        _fail(f'no rule "{code}"; `nexlayer-lint rule` lists them')
    click.echo(rule_text(found.code), nl=False)  # type: ignore[union-attr]


@main.group()
def schema() -> None:
    """The JSON Schema: where it lives, print it, refresh it from the API."""


@schema.command("path")
@click.option("--schema", "schema_spec", metavar="bundled|remote|PATH|URL",
              help="The schema to locate.  [default: the config's `schema`, else bundled]")
@click.option("--api-url", envvar="NEXLAYER_API_URL", metavar="URL")
@click.option("--editor", is_flag=True,
              help="The bundled schema's editor flavour: completion and hover, no validation (for "
                   "yaml-language-server beside `nexlayer-lint server`).")
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
        click.echo(f"nexlayer-lint: warning: {choice.warning}", err=True)
    location = choice.info.location if choice.info.source != "bundled" else str(schema_module.BUNDLED_PATH)
    if choice.info.source == "url":  # fetched just now: it lives in the cache, if that was writable
        from nexlayer_lint import schema_cache

        cached = schema_cache.cached_schema_path(schema_cache.url_for(settings.schema, settings.api_url))
        location = str(cached) if cached.is_file() else location  # else the URL, fit to print
    click.echo(location)


@schema.command("fetch")
@click.option("--schema", "schema_spec", default="remote", show_default=True, metavar="remote|URL",
              help="The API's GET /schema, or a schema URL.")
@click.option("--api-url", envvar="NEXLAYER_API_URL", metavar="URL",
              help="Nexlayer API base URL (env NEXLAYER_API_URL).  [default: https://app.nexlayer.io]")
@click.option("--timeout", type=click.FloatRange(0.1, 300), default=10.0, show_default=True,
              help="Deadline in seconds for the request, retries included.")
def schema_fetch(schema_spec: str, api_url: str | None, timeout: float) -> None:
    """Refresh the cached schema from the API now; print its version and sha256 digest."""
    from nexlayer_lint import schema_cache
    from nexlayer_lint.http_client import display_url

    if schema_spec != "remote" and not schema_spec.startswith(("https://", "http://")):
        shown = display_url(schema_spec) if "://" in schema_spec else schema_spec
        _fail(f'schema fetch takes "remote" or an https URL, not "{shown}"')
    url = schema_cache.url_for(schema_spec, api_url)
    fetched = schema_cache.refresh_schema(url, timeout=timeout)
    if fetched.schema is None or fetched.info is None or fetched.info.source != "url":
        _fail(fetched.warning or f"could not fetch the schema from {display_url(url)}")
    for message in (fetched.warning, fetched.note):
        if message:
            click.echo(f"nexlayer-lint: warning: {message}", err=True)
    cached = schema_cache.cached_schema_path(url)
    click.echo(f"url:     {display_url(url)}")
    click.echo(f"version: {fetched.info.version}")  # type: ignore[union-attr]
    click.echo(f"sha256:  {fetched.info.sha256}")  # type: ignore[union-attr]
    click.echo(f"cache:   {cached if cached.is_file() else '(not written)'}")


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
        _fail("the language server needs pygls: pip install 'nexlayer-lint[lsp]'")
    serve()
