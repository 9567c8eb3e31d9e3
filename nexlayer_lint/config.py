"""Settings, and where they come from: the closest config above each file, command-line options laid over it.

A config is `.nexlayer-lint.toml` (top level) or `pyproject.toml` with a `[tool.nexlayer-lint]`
table; the first one found walking up from a file's folder governs that file (`find_config`), as
with ruff. The command line and the language server both ask this module, so they agree on every
file. `--config FILE` names one config for every file, `--isolated` uses none. A config may
`extend` another (as ruff's `extend`): the other's settings first, its own over them.
"""

from __future__ import annotations

import codecs
import math
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from nexlayer_lint.globs import PathPattern, check_globs, each_matching, relative_to, user_pattern
from nexlayer_lint.model import Severity

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
# The largest max-file-size: far above any file a run should read into memory, and far below
# what a read can be asked for (a larger count is an OverflowError, not a limit).
MAX_FILE_SIZE_CAP = 1 << 40  # 1 TiB
DEFAULT_API_URL = "https://app.nexlayer.io"
API_URL_ENV = "NEXLAYER_API_URL"
SEVERITIES = ("error", "warning", "info")
CONFIG_FILES = (".nexlayer-lint.toml", "pyproject.toml")
# The escapes that can spell a letter of a quoted key (`"nexlayer\u002dlint"`; `\x` is TOML 1.1's)
_ESCAPES = ("\\u", "\\U", "\\x")
# Folders no one wants linted, matched by name at any depth below the config's folder (as ruff's
# default `exclude`); `extend-exclude` adds to them, `exclude` replaces them.
DEFAULT_EXCLUDE_NAMES = (
    ".git",
    ".hg",
    ".svn",
    ".bzr",
    ".direnv",
    ".eggs",
    ".mypy_cache",
    ".nox",
    ".pytest_cache",
    ".ruff_cache",
    ".tox",
    ".venv",
    "__pycache__",
    "__pypackages__",
    "node_modules",
    "site-packages",
    "venv",
)
DEFAULT_EXCLUDE = tuple(PathPattern("", name) for name in DEFAULT_EXCLUDE_NAMES)  # "": below any folder


def default_exclude(base: str) -> tuple[PathPattern, ...]:
    """The default `exclude`, below `base` only: a project that lives in a folder named `venv` is still linted."""
    return tuple(PathPattern(base, name) for name in DEFAULT_EXCLUDE_NAMES) if base else DEFAULT_EXCLUDE


class ConfigError(Exception):
    """An invalid configuration or option value: the CLI prints it and exits 2."""


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] = ()  # code prefixes; empty means every code
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)  # code or prefix -> level
    fail_on: Severity = "error"
    schema: str = "bundled"  # bundled | remote | PATH | URL
    remote: bool = False
    remote_send_secrets: bool = False
    api_url: str | None = None
    timeout: float = 10.0
    schema_ttl_hours: float = 24.0
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    # which files are linted (selection.py) and which codes each one skips
    exclude: tuple[PathPattern, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[PathPattern, ...] = ()
    per_file_ignores: tuple[tuple[PathPattern, tuple[str, ...]], ...] = ()
    respect_gitignore: bool = True
    force_exclude: bool = False
    # fixing (fix_files.py): whether a run fixes, and which fixes it may apply
    fix: bool = False
    unsafe_fixes: bool | None = None  # None: not said, and the summary mentions the unsafe fixes there are
    fixable: tuple[str, ...] = ()  # code prefixes whose fixes are offered; empty means every code
    extend_fixable: tuple[str, ...] = ()
    unfixable: tuple[str, ...] = ()
    config_file: str | None = None  # where these came from, for --verbose and errors
    extended: tuple[str, ...] = ()  # the configs config_file extends, nearest first

    def with_options(self, **options: Any) -> Settings:
        """Overlay command-line options (those not None) on the settings from a file."""
        return replace(self, **{k: v for k, v in options.items() if v is not None})

    @property
    def excluded(self) -> tuple[PathPattern, ...]:
        return self.exclude + self.extend_exclude


def resolve_api_url(explicit: str | None) -> str:
    """The Nexlayer API's base URL: `explicit` (the settings' api_url) if given, else NEXLAYER_API_URL, else the
    public API."""
    for candidate in (explicit, os.environ.get(API_URL_ENV)):
        if candidate and candidate.strip():
            return candidate.strip()
    return DEFAULT_API_URL


# --- codes ---------------------------------------------------------------------------------


def parse_codes(items: Iterable[str], key: str, turning_off: bool = False) -> tuple[str, ...]:
    """Codes, prefixes (`NX2`) or rule names (`unpinned-image`, as suppressions take them), as codes
    or prefixes; comma-separated items are split. `turning_off`: for ignore lists, where a code that
    can never be turned off (NX001) is an error rather than silently kept."""
    codes = []
    for raw in items:
        for item in raw.split(","):
            if item.strip():
                codes.append(_code(item.strip(), key, turning_off))
    return tuple(codes)


def _code(item: str, key: str, turning_off: bool = False) -> str:
    from nexlayer_lint.rules import RULES, UNSUPPRESSIBLE, by_name_or_code

    rule = by_name_or_code(item)
    code = rule.code if rule else item.upper()
    if not any(known.startswith(code) for known in RULES):
        raise ConfigError(
            f'{key}: "{_shown(item)}" matches no code or rule name; codes look like NX201, '
            "prefixes like NX2, names like unpinned-image (`nexlayer-lint rule` lists them)"
        )
    if turning_off and code in UNSUPPRESSIBLE:
        raise ConfigError(
            f"{key}: {code} ({RULES[code].name}) cannot be turned off: a file that does not "
            "parse has nothing else to check"
        )
    return code


def expand_codes(prefixes: Iterable[str]) -> tuple[str, ...]:
    """Every code that one of `prefixes` starts, except those that cannot be turned off. A full code
    in an ignore list outranks any --select prefix, so per-file-ignores win over select (as ruff)."""
    from nexlayer_lint.rules import RULES, UNSUPPRESSIBLE

    wanted = tuple(prefixes)
    return tuple(code for code in RULES if code not in UNSUPPRESSIBLE and code.startswith(wanted))


def parse_severities(items: Iterable[str] | Mapping[str, Any], key: str = "severity") -> dict[str, Severity]:
    pairs = items.items() if isinstance(items, Mapping) else (_split_pair(item, key) for item in items)
    out: dict[str, Severity] = {}
    for name, level in pairs:
        if not isinstance(name, str) or not name.strip() or "," in name:
            raise ConfigError(f'{key}: "{_shown(str(name))}" is not a code; write NX215 = "error"')
        code = _code(name.strip(), key)
        if code == "NX001":
            raise ConfigError(f"{key}: NX001 (yaml-syntax) is always an error")
        if not isinstance(level, str) or level not in SEVERITIES:
            raise ConfigError(f'{key}: "{_shown(str(level))}" for {code} is not one of {", ".join(SEVERITIES)}')
        out[code] = level  # type: ignore[assignment]
    return out


def _split_pair(item: str, key: str) -> tuple[str, str]:
    code, sep, level = item.partition("=")
    if not sep or not code.strip():
        raise ConfigError(f'{key}: "{_shown(item)}" should look like NX215=error')
    return code.strip(), level.strip().lower()


def _shown(text: str) -> str:
    """A user's value fit to quote in a message: its secrets starred, control characters
    escaped, long ones cut. Every value a config error quotes comes through here (or _repr): a
    misplaced credential (`timeout = "https://u:pw@host/?token=x"`, a pasted token) is starred as
    the tool stars text it quotes from a comment (secrets.star_parts: a URL's password, a secret
    query parameter, a token's shape, `X_PASSWORD=...`), before the cut, which could halve it."""
    from nexlayer_lint.secrets import star_parts  # only for a mistake: the module is large

    return _printable(star_parts(text))


def _printable(text: str) -> str:
    cut = text if len(text) <= 80 else text[:77] + "..."
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in cut)


# --- one config table ----------------------------------------------------------------------


def _codes(value: Any, key: str, base: str = "", turning_off: bool = False) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise ConfigError(f'"{key}" must be a list of codes, like ["NX2", "NX102"]')
    return parse_codes(items, key, turning_off)


def _codes_off(value: Any, key: str, base: str = "") -> tuple[str, ...]:
    return _codes(value, key, base, turning_off=True)


def _level(value: Any, key: str, base: str) -> Severity:
    if not isinstance(value, str) or value not in SEVERITIES:
        raise ConfigError(f'"{key}" must be one of {", ".join(SEVERITIES)}, not {_repr(value)}')
    return value  # type: ignore[return-value]


def _number(low: float, high: float, label: str) -> Any:
    """A number in [low, high]: NaN, infinities and negative times would undo a deadline or a TTL."""

    def parse(value: Any, key: str, base: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f'"{key}" must be {label}, not {_repr(value)}')
        # compared before any float(): an integer past float's range raised OverflowError (hunt 74 F2)
        if not (low <= value <= high and math.isfinite(value)):
            raise ConfigError(f'"{key}" must be {label} from {low:g} to {high:g}, not {_repr(value)}')
        return float(value)

    return parse


def _whole_number(low: int, label: str, high: int | None = None) -> Any:
    def parse(value: Any, key: str, base: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
            bounds = f"at least {low}" if high is None else f"{low} to {high:,}"
            raise ConfigError(f'"{key}" must be {label} ({bounds}), not {_repr(value)}')
        return value

    return parse


def _flag(value: Any, key: str, base: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f'"{key}" must be true or false, not {_repr(value)}')
    return value


def _text(value: Any, key: str, base: str) -> str:
    """A URL or a path (`api-url`, `schema`). A URL's user-info and query may hold credentials, so
    an error shows it without them; a value that is not a string is told by its type alone."""
    if not isinstance(value, str):
        raise ConfigError(f'"{key}" must be a string, not {_type_name(value)}')
    if not value.strip() or not value.isprintable():
        from nexlayer_lint.http_client import display_url  # only for a mistake

        if "://" in value:
            url = display_url(value)
            shown = f"{url} (its user-info and query not shown)" if url != value else url
        elif "@" in value or "?" in value:  # a URL too broken to split may still hold credentials
            raise ConfigError(
                f'"{key}" must be a string without control characters (not shown: it may hold credentials)'
            )
        else:
            shown = _repr(value)
        raise ConfigError(f'"{key}" must be a string without control characters, not {shown}')
    return value


def _type_name(value: Any) -> str:
    return {list: "a list", dict: "a table", bool: "a boolean", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


def _schema(value: Any, key: str, base: str) -> str:
    """bundled, remote or a URL as given; a file relative to the config's folder (as ruff's paths)."""
    spec = _text(value, key, base)
    if spec in ("bundled", "remote") or "://" in spec or not base:
        return spec
    return os.path.join(base, spec)


def _globs(value: Any, key: str, base: str) -> tuple[PathPattern, ...]:
    try:
        return tuple(user_pattern(base, glob) for glob in check_globs(value, key))
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def _per_file_ignores(value: Any, key: str, base: str) -> tuple[tuple[PathPattern, tuple[str, ...]], ...]:
    if not isinstance(value, Mapping):
        raise ConfigError(f'"{key}" must be a table of globs and codes, like {{ "legacy/*" = ["NX215"] }}')
    return tuple(
        (_globs([glob], key, base)[0], _codes_off(codes, f'{key} "{_shown(glob)}"')) for glob, codes in value.items()
    )


def _repr(value: Any) -> str:
    """A value of the wrong type, as Python writes it; a string is starred before repr() adds
    its quotes, which would otherwise read as the end of a starred value."""
    if isinstance(value, str):
        from nexlayer_lint.secrets import star_parts

        return _printable(repr(star_parts(value)))
    if isinstance(value, int) and value.bit_length() > 1000:  # repr() refuses past 4,300 digits
        return f"an integer of about {int(value.bit_length() * 0.30103):,} digits"
    return _shown(repr(value))


# How many configs one may extend in a chain: deeper is surely a mistake, and each is a file read.
MAX_EXTENDS = 10
# Settings that add to the extended config's rather than replace it, as the command line's
# options add to a config's (Options) and as ruff layers an `extend`ed config's rule selection.
_ADDED = ("ignore", "extend_exclude", "extend_fixable", "unfixable")

# config-file key -> (Settings field, parser(value, key, base folder))
_KEYS = {
    "select": ("select", _codes),
    "ignore": ("ignore", _codes_off),
    "severity": ("severity", lambda v, k, b: parse_severities(_mapping(v, k), k)),
    "fail-on": ("fail_on", _level),
    "schema": ("schema", _schema),
    "remote": ("remote", _flag),
    "api-url": ("api_url", _text),
    "timeout": ("timeout", _number(0.1, 300, "a number of seconds")),  # as --timeout
    "schema-ttl-hours": ("schema_ttl_hours", _number(0, 24 * 365, "a number of hours")),
    "max-file-size": ("max_file_size", _whole_number(1, "a number of bytes", MAX_FILE_SIZE_CAP)),
    "exclude": ("exclude", _globs),
    "extend-exclude": ("extend_exclude", _globs),
    "per-file-ignores": ("per_file_ignores", _per_file_ignores),
    "respect-gitignore": ("respect_gitignore", _flag),
    "force-exclude": ("force_exclude", _flag),
    "fix": ("fix", _flag),
    "unsafe-fixes": ("unsafe_fixes", _flag),
    "fixable": ("fixable", _codes),
    "extend-fixable": ("extend_fixable", _codes),
    "unfixable": ("unfixable", _codes),
}
assert {name for name, _ in _KEYS.values()} <= {f.name for f in fields(Settings)}
_KNOWN = sorted([*_KEYS, "extend"])


def _mapping(value: Any, key: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(f'"{key}" must be a table, like {{ NX215 = "error" }}')
    return value


def settings_from_table(table: Mapping[str, Any], source: str, base: str = "") -> Settings:
    """Settings from one config table; relative globs and schema files are relative to `base`,
    and an `extend`ed config's path to the folder of `source`."""
    values = _values(table, source, base, (os.path.abspath(source),))
    values.setdefault("exclude", default_exclude(base))
    return Settings(**values)


def _unknown_setting(source: str, key: str) -> ConfigError:
    from nexlayer_lint.suggest import closest  # only for a mistake

    close = closest(key.replace("_", "-"), _KNOWN, cutoff=0.6)  # difflib's default cutoff
    hint = f' (did you mean "{close}"?)' if close else ""
    return ConfigError(f'{source}: unknown setting "{_shown(key)}"{hint}; known: {", ".join(_KNOWN)}')


def _values(table: Mapping[str, Any], source: str, base: str, chain: tuple[str, ...]) -> dict[str, Any]:
    """The Settings fields one table sets, over those of the config it extends (whose own
    relative paths are relative to its own folder). `chain`: the configs read so far, to refuse a
    loop and a chain past MAX_EXTENDS."""
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key.replace("_", "-") == "remote-send-secrets":
            # Only the person running the tool may send secret values: a config file may come
            # with the repository being linted (a pull request can change it). `false` asks
            # for nothing, so it is accepted.
            if value is not False:
                raise ConfigError(
                    f'{source}: "{key}" can only be given on the command line '
                    "(--remote-send-secrets): a config file may come with the repository being "
                    "linted, and must not be able to send its secrets"
                )
            continue
        if key == "extend":
            continue
        if key not in _KEYS:
            raise _unknown_setting(source, key)
        name, parse = _KEYS[key]
        try:
            values[name] = parse(value, key, base)
        except ConfigError as exc:
            raise ConfigError(f"{source}: {exc}") from None
    if "extend" not in table:
        return {"config_file": source, **values}
    parent = _extended(table["extend"], source, chain)
    inherited = _values(_table_of(parent), str(parent), str(parent.parent), (*chain, str(parent)))
    extended = (inherited["config_file"], *inherited.get("extended", ()))
    return {**inherited, **_over(inherited, values), "config_file": source, "extended": extended}


def _over(inherited: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """A config's own values laid over those of the config it extends: most replace, the lists
    of _ADDED add (except `ignore` when the config has its own `select`, which starts afresh, as
    `--select` does), and the severity table is laid over code by code (severities_over)."""
    over = dict(own)
    for name in _ADDED:
        if name in own and name in inherited and not (name == "ignore" and "select" in own):
            over[name] = inherited[name] + tuple(item for item in own[name] if item not in inherited[name])
    if "select" in own and "ignore" not in own:
        over["ignore"] = ()
    if "severity" in own and "severity" in inherited:
        over["severity"] = severities_over(inherited["severity"], own["severity"])
    return over


def severities_over(under: Mapping[str, Severity], over: Mapping[str, Severity]) -> dict[str, Severity]:
    """A severity table laid over another: an entry of `over` decides every code it covers, so
    `under`'s entries for longer prefixes of it are dropped (a command line's `NX2=error` lost
    to a config's `NX201=info` by the longest prefix, and NX201 passed: hunt 266 F4)."""
    kept = {prefix: level for prefix, level in under.items() if not any(prefix.startswith(key) for key in over)}
    return {**kept, **over}


def _extended(value: Any, source: str, chain: tuple[str, ...]) -> Path:
    """The config that `extend = value` in `source` names: a path relative to source's folder."""
    if not isinstance(value, str) or not value.strip() or not value.isprintable():
        raise ConfigError(f'{source}: "extend" must be the path of another config file, not {_repr(value)}')
    path = Path(os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(source)), os.path.expanduser(value))))
    if str(path) in chain:
        loop = " -> ".join(_shown(link) for link in (*chain, str(path)))
        raise ConfigError(f"{source}: configs extend each other in a loop: {loop}")
    if len(chain) >= MAX_EXTENDS:  # `path` would be config number len(chain) + 1 (hunt 68 F7)
        raise ConfigError(f"{source}: more than {MAX_EXTENDS} configs extend one another; is that a loop?")
    try:
        what = "is a directory, not a file" if path.is_dir() else "does not exist" if not path.exists() else ""
    except OSError as exc:  # a name too long for the system
        what = f"cannot be read: {exc.strerror or exc}"
    if what:
        # the value as written, whose secrets _shown can still find (the path merges a URL's `//`)
        raise ConfigError(f"{source}: the config it extends, {_shown(value)}, {what}")
    return path


def settings_from_document(document: Mapping[str, Any], path: Path, base: str) -> Settings:
    """Settings from a parsed config file: `[tool.nexlayer-lint]` in pyproject.toml, the top level elsewhere."""
    return settings_from_table(_our_table(document, path), str(path), base)


def _our_table(document: Mapping[str, Any], path: Path) -> Mapping[str, Any]:
    """pyproject.toml's `[tool.nexlayer-lint]`; in another file (.nexlayer-lint.toml, `--config`,
    `extend`) its top level or that table, but not settings in both (the table's would win, the
    others silently dropped)."""
    tool = document.get("tool", {})
    ours = isinstance(tool, Mapping) and "nexlayer-lint" in tool
    if path.name == "pyproject.toml":
        if not ours:  # named by --config or `extend` (a search passes it by): `[tool.nexlayer_lint]`? (hunt 115 F6)
            raise ConfigError(f"{path}: no [tool.nexlayer-lint] table; the settings of a pyproject.toml go there")
        table = tool["nexlayer-lint"]
    elif ours:
        beside = [key for key in document if key != "tool"]
        known = [key for key in beside if key in _KNOWN]
        if known:
            raise ConfigError(
                f'{path}: settings both at the top level ("{known[0]}") and in [tool.nexlayer-lint]; '
                "keep one of the two"
            )
        # a misspelt setting beside the table is no less a mistake than one in it (hunt 98 F4); a
        # table there is another tool's (a copy of a pyproject.toml keeps its `[project]`)
        unknown = [key for key in beside if not isinstance(document[key], Mapping)]
        if unknown:
            raise _unknown_setting(str(path), unknown[0])
        table = tool["nexlayer-lint"]
    else:
        table = document
    if not isinstance(table, Mapping):
        raise ConfigError(f"{path}: [tool.nexlayer-lint] must be a table")
    return table


def _toml() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    return tomllib


# A config larger than this is no config (`--config /dev/zero` would read forever).
MAX_CONFIG_BYTES = 16 << 20


def _table_of(path: Path) -> Mapping[str, Any]:
    """Our table of one config file, read and parsed. Read as a file to lint is (files.read): a
    pipe (`--config <(...)`) or `/dev/null` reads too, and one with no writer does not block."""
    from nexlayer_lint.files import read

    tomllib = _toml()
    data, error = read(str(path), MAX_CONFIG_BYTES)
    if error is not None:
        raise ConfigError(f"cannot read config {error}")
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: larger than {MAX_CONFIG_BYTES >> 20} MiB; is it a config?")
    try:
        # universal newlines, as Path.read_text: TOML takes no bare CR
        document = tomllib.loads(data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {_why_not_toml(data[:4], exc)}") from None
    except RecursionError:
        raise ConfigError(f"{path}: cannot read this TOML: it nests too deeply") from None
    except ValueError:  # tomllib's int() of a number past Python's 4,300 digits (hunt 77 F2)
        raise ConfigError(f"{path}: cannot read this TOML: it has a number of more than 4,300 digits") from None
    return _our_table(document, path)


def _why_not_toml(head: bytes, exc: ValueError) -> str:
    """The parser's words, or what is wrong with the encoding (by the file's first bytes, `head`):
    TOML is UTF-8 (as tomllib and ruff read it), without the byte order mark tomllib refuses."""
    codec = _wide_codec(head)
    if codec is not None:
        return f"TOML must be UTF-8, and this file is {codec[:6].upper()}; save it as UTF-8"
    if isinstance(exc, UnicodeDecodeError):
        return (
            f"TOML must be UTF-8, and byte 0x{exc.object[exc.start]:02x} at offset {exc.start} is not; save it as UTF-8"
        )
    if head.startswith(codecs.BOM_UTF8):
        return f"{exc}: the file starts with a byte order mark; save it as UTF-8 without one"
    return str(exc)


def _wide_codec(data: bytes) -> str | None:
    """The codec of UTF-32 or UTF-16 bytes, by their byte order mark or, without one, by the NULs
    beside a first character that is ASCII (as TOML's first is); None for other bytes."""
    head = data[:4]
    if head in (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE):
        return "utf-32"
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16"
    if head.startswith(b"\0\0\0"):
        return "utf-32-be"
    if head[1:] == b"\0\0\0":
        return "utf-32-le"
    if head.startswith(b"\0"):
        return "utf-16-be"
    if head[1:2] == b"\0":
        return "utf-16-le"
    return None


def read_config(path: Path, base: str | None = None) -> Settings:
    """Settings from one file; relative paths in it are relative to `base`, by default its folder."""
    return settings_from_table(_table_of(path), str(path), os.path.abspath(path.parent) if base is None else base)


# --- which config governs a file -----------------------------------------------------------


def find_config(start: Path | str, memo: dict[str, Path | None] | None = None) -> Path | None:
    """The config that governs files in folder `start`: walking up, the first .nexlayer-lint.toml,
    or pyproject.toml with our table. `memo` (absolute folder -> answer) spares a batch from asking
    the file system twice about a folder."""
    folder = os.path.abspath(start)
    visited: list[str] = []
    found: Path | None = None
    while True:
        if memo is not None and folder in memo:
            found = memo[folder]
            break
        visited.append(folder)
        found = _config_in(folder)
        parent = os.path.dirname(folder)
        if found is not None or parent == folder:
            break
        folder = parent
    if memo is not None:
        for key in visited:
            memo[key] = found
    return found


def _config_in(folder: str) -> Path | None:
    for name in CONFIG_FILES:
        candidate = os.path.join(folder, name)
        # a link to a file that is missing (a sparse checkout) is a config that cannot be read, not
        # none, which left a laxer config above it applying unseen (hunt 127 F4); so is a
        # .nexlayer-lint.toml that is a folder or a pipe (read as files.read reads one: hunt 130 F8)
        if name != "pyproject.toml":
            if os.path.lexists(candidate):
                return Path(candidate)
        elif (os.path.isfile(candidate) or _dangling(candidate)) and _has_our_table(candidate):
            return Path(candidate)
    return None


def _dangling(path: str) -> bool:
    """Whether `path` is a link to nothing."""
    return os.path.islink(path) and not os.path.exists(path)


def _has_our_table(pyproject: str) -> bool:
    try:
        with open(pyproject, "rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)  # (a sparse 4 GB file ran out of memory: hunt 256 F3)
    except OSError:
        # it may hold our table: read_config says it cannot be read, rather than a config above
        # it (or none) applying unseen (hunt 115 F2), as for an unreadable .nexlayer-lint.toml
        return True
    if len(data) > MAX_CONFIG_BYTES:
        return True  # so read_config says it is too large to be a config, as of .nexlayer-lint.toml
    # A UTF-16 or UTF-32 file (Windows PowerShell 5's `>` writes UTF-16) is read in its own
    # encoding too: one that holds our table is ours, to be refused (TOML is UTF-8), not passed
    # by; so is a UTF-8 one that only looks wide (a stray NUL first, hunt 36 F6).
    codec = _wide_codec(data)  # its own encoding first: UTF-16 text may read as UTF-8 with a `\u` (hunt 37 F4)
    texts = ([data.decode(codec, errors="replace")] if codec else []) + [data.decode("utf-8", errors="replace")]
    text = next((t for t in texts if "nexlayer-lint" in t or any(escape in t for escape in _ESCAPES)), None)
    if text is None:
        return False
    # The parser says, whatever the spelling (`[tool."nexlayer-lint"]`, an inline table, an
    # escape), and a comment or `[tool.nexlayer-linter]` is no table. A file it cannot read is
    # ours to report when it seems to hold our table, and passed by otherwise (a dependency list).
    try:
        document = _toml().loads(text.replace("\r\n", "\n").replace("\r", "\n"))  # lines as open() reads them
    except (ValueError, RecursionError):  # TOMLDecodeError, or nested too deeply for the parser
        return _names_our_table(text)
    tool = document.get("tool")
    return isinstance(tool, Mapping) and "nexlayer-lint" in tool


def _names_our_table(text: str) -> bool:
    """Whether a file the TOML parser cannot read seems to hold our table: a line naming it
    with `tool` (`[tool.'nexlayer-lint']`, `[ tool . nexlayer-lint ]`, escapes read) or as a key
    (`nexlayer-lint = {...}` under `[tool]`); not a dependency (`"nexlayer-lint>=0.1",`)."""
    import re  # only for a broken file

    def unescape(match: re.Match[str]) -> str:
        code = int(match[1] or match[2] or match[3], 16)
        return chr(code) if code <= sys.maxunicode else match[0]

    text = re.sub(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|x([0-9a-fA-F]{2}))", unescape, text)
    for line in text.splitlines():
        if "nexlayer-lint" not in line:
            continue
        head = line.lstrip().lstrip("\"'")
        after = head[len("nexlayer-lint") :].lstrip("\"' \t")[:1] if head.startswith("nexlayer-lint") else ""
        if "tool" in line or after in ("=", ".", "]"):
            return True
    return False


def discover(start: Path, explicit: str | None = None, isolated: bool = False) -> Settings:
    """The settings for files in folder `start` (the language server's entry; the CLI's Resolver
    caches the same steps): `explicit` if given, else the closest config above, else defaults."""
    if isolated:
        return Settings()
    if explicit:
        return read_explicit(explicit)
    found = find_config(start)
    return read_config(found) if found else Settings()


def read_explicit(explicit: str) -> Settings:
    """`--config FILE`: for every file; its relative paths are relative to the current folder (as ruff)."""
    path = Path(explicit)
    if path.is_dir() or not path.exists():
        what = "is a directory, not a file" if path.is_dir() else "does not exist"
        raise ConfigError(f"config file {_shown(explicit)} {what}")
    return read_config(path, base=os.getcwd())


def lint_alike(first: Settings, second: Settings) -> bool:
    """Whether two files' settings (for_file's) lint a text alike: where each came from, and which
    files they leave out (decided already), aside. One config reached through a symlinked folder,
    or two configs with the same settings, lint alike (selection.select_files)."""
    if first is second:
        return True

    def as_linted(settings: Settings) -> Settings:
        return replace(settings, config_file=None, extended=(), exclude=(), extend_exclude=(), per_file_ignores=())

    return as_linted(first) == as_linted(second)


def opened_path(path: str, cwd: str | None = None) -> str:
    """`path` made absolute as the system opens it: `..` after a symlinked folder goes where the
    link goes (`lax/s/..`, s -> strict/sub, is strict: hunt 68 F5), so its config, its excludes and
    its per-file-ignores are those of the file read (hunt 70 F1); any other path by its spelling,
    as ruff reads it (a symlink to a file, or a symlinked folder, keeps its own name)."""
    joined = os.path.join(os.getcwd() if cwd is None else cwd, path)  # `path` when it is absolute
    parts = joined.split(os.sep)
    if ".." not in parts:
        return os.path.normpath(joined)
    # the folders up to the last `..` as the system walks them; the names after it as written (a
    # symlink there keeps its name, as without the `..`: hunt 71 F4)
    last = len(parts) - 1 - parts[::-1].index("..")
    return os.path.normpath(os.path.join(os.path.realpath(os.sep.join(parts[: last + 1])), *parts[last + 1 :]))


def for_file(settings: Settings, path: str) -> Settings:
    """`settings` as they apply to the file at `path`: with the codes of every per-file-ignores glob
    that matches it added to `ignore` (as full codes, so they win over `select`). As in ruff, a
    glob starting with `!` applies to every file it does not match."""
    if not settings.per_file_ignores:
        return settings
    absolute = opened_path(path)
    matched = each_matching(tuple(pattern for pattern, _ in settings.per_file_ignores), absolute)
    codes = [
        code
        for place, (pattern, codes) in enumerate(settings.per_file_ignores)
        if (place in matched) != pattern.glob.startswith("!")
        for code in codes
    ]
    if not codes:
        return settings
    added = tuple(code for code in expand_codes(codes) if code not in settings.ignore)
    return replace(settings, ignore=settings.ignore + added) if added else settings


# --- the command line over each file's settings --------------------------------------------


class Options(NamedTuple):  # not a dataclass: building one at import slows every start-up
    """Command-line options, laid over each file's settings (None: not given). As ruff: a given
    option wins, except that `--ignore` adds to the config's `ignore` unless `--select` is given
    too (then both come from the command line alone), `--severity` is laid over the config's table,
    `--extend-exclude` adds to its `extend-exclude` and `--unfixable` to its `unfixable`."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    severity: Mapping[str, Severity] | None = None
    extend_exclude: tuple[PathPattern, ...] | None = None
    unfixable: tuple[str, ...] | None = None
    replaced: Mapping[str, Any] = MappingProxyType({})  # Settings field -> value, replaces the file's
    # --offline: what a config asks of the network is dropped (without_network), as the offline
    # pre-commit hook promises whatever the repository's config says (hunt 81 F4)
    offline: bool = False

    def apply(self, settings: Settings) -> Settings:
        changes = {k: v for k, v in self.replaced.items() if v is not None}
        if self.select is not None:
            changes["select"] = self.select
            changes["ignore"] = self.ignore or ()
        elif self.ignore:
            changes["ignore"] = settings.ignore + tuple(c for c in self.ignore if c not in settings.ignore)
        if self.severity:
            changes["severity"] = severities_over(settings.severity, self.severity)
        if self.extend_exclude:
            changes["extend_exclude"] = settings.extend_exclude + self.extend_exclude
        if self.unfixable:
            changes["unfixable"] = settings.unfixable + tuple(c for c in self.unfixable if c not in settings.unfixable)
        settings = replace(settings, **changes) if changes else settings
        return without_network(settings)[0] if self.offline else settings


class Resolver:
    """Settings for each file of a batch: its closest config (`find_config`), read once per config
    and each folder looked up once, with the command-line options laid over, then its
    per-file-ignores. Files with equal settings get the same Settings object, so the batch can
    be grouped by it."""

    def __init__(self, options: Options | None = None, explicit: str | None = None, isolated: bool = False) -> None:
        self.options = options or Options()
        self._fixed: Settings | None = None
        self._cwd = os.getcwd()
        self._cwd_exclude = default_exclude(self._cwd)
        self._defaults = Settings(exclude=self._cwd_exclude)  # without a config
        if isolated or explicit:
            fixed = self._defaults if isolated else read_explicit(explicit)  # type: ignore[arg-type]
            self._fixed = self.options.apply(fixed)
        self._config_of: dict[str, Path | None] = {}  # folder -> its config (find_config's memo)
        self._by_config: dict[Path | None, Settings] = {}
        self._by_folder: dict[str, Settings] = {}
        self._per_file: dict[tuple[int, tuple[str, ...]], Settings] = {}
        self._anchored: dict[tuple[int, str], Settings] = {}

    def for_folder(self, folder: str) -> Settings:
        """The settings for files directly in `folder` (before per-file-ignores)."""
        found = self._by_folder.get(folder)
        if found is None:
            absolute = opened_path(folder, self._cwd)
            if self._fixed is not None:
                found = self._fixed
            else:
                config = find_config(absolute, self._config_of)
                found = self._by_config.get(config)
                if found is None:
                    found = self.options.apply(read_config(config) if config else self._defaults)
                    self._by_config[config] = found
            found = self._default_exclude_for(found, absolute)
            self._by_folder[folder] = found
        return found

    def _default_exclude_for(self, settings: Settings, folder: str) -> Settings:
        """`settings` whose default `exclude` (no config, `--isolated`, a `--config` that sets none)
        holds below the current folder, made to hold below the folder it shares with `folder`
        when `folder` is outside it: `nexlayer-lint ..` skips `../node_modules` as a run from
        there does (hunt 98 F1), and a project in a folder named `venv` is still linted."""
        if settings.exclude != self._cwd_exclude or relative_to(self._cwd, folder) is not None:
            return settings
        try:
            shared = os.path.commonpath([self._cwd, folder])
        except ValueError:  # another drive (Windows): the names at any depth
            shared = ""
        key = (id(settings), shared)
        if key not in self._anchored:
            self._anchored[key] = replace(settings, exclude=default_exclude(shared))
        return self._anchored[key]

    def for_file(self, path: str) -> Settings:
        base = self.for_folder(os.path.dirname(path))
        settings = for_file(base, path)
        if settings is base:
            return base
        key = (id(base), settings.ignore)
        return self._per_file.setdefault(key, settings)

    @property
    def configs(self) -> list[str]:
        """The config files read so far, in order."""
        if self._fixed is not None:
            return [self._fixed.config_file] if self._fixed.config_file else []
        return [str(config) for config in self._by_config if config is not None]


def schema_uses_network(spec: str) -> bool:
    """Whether `--schema spec` fetches over the network: "remote" or an http(s) URL."""
    return spec == "remote" or spec.startswith(("https://", "http://"))


def without_network(settings: Settings) -> tuple[Settings, tuple[str, ...]]:
    """`settings` with nothing that would make a network request, and the config keys that asked
    for one (the language server uses a repository's config this way unless the editor allows
    network use)."""
    asked = (
        ("remote", settings.remote),
        ("remote-send-secrets", settings.remote_send_secrets),
        ("api-url", settings.api_url is not None),
        ("schema", schema_uses_network(settings.schema)),
    )
    offline = replace(
        settings,
        remote=False,
        remote_send_secrets=False,
        api_url=None,
        schema="bundled" if schema_uses_network(settings.schema) else settings.schema,
    )
    return offline, tuple(key for key, on in asked if on)
