"""Settings, and their discovery in pyproject.toml / .nexlayer-lint.toml."""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from nexlayer_lint.model import Severity

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
DEFAULT_API_URL = "https://app.nexlayer.io"
API_URL_ENV = "NEXLAYER_API_URL"
SEVERITIES = ("error", "warning", "info")
CONFIG_FILES = (".nexlayer-lint.toml", "pyproject.toml")


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
    config_file: str | None = None  # where these came from, for --verbose and errors

    def with_options(self, **options: Any) -> Settings:
        """Overlay command-line options (those not None) on the settings from a file."""
        return replace(self, **{k: v for k, v in options.items() if v is not None})


def resolve_api_url(explicit: str | None) -> str:
    """The Nexlayer API's base URL: `explicit` (the settings' api_url) if given, else NEXLAYER_API_URL, else the public API."""
    for candidate in (explicit, os.environ.get(API_URL_ENV)):
        if candidate and candidate.strip():
            return candidate.strip()
    return DEFAULT_API_URL


# config-file key -> (Settings field, parser)
def _codes(value: Any, key: str) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise ConfigError(f'"{key}" must be a list of codes, like ["NX2", "NX102"]')
    return parse_codes(items, key)


def parse_codes(items: Iterable[str], key: str) -> tuple[str, ...]:
    from nexlayer_lint.rules import RULES

    codes = []
    for raw in items:
        for item in raw.split(","):
            code = item.strip().upper()
            if not code:
                continue
            if not any(known.startswith(code) for known in RULES):
                raise ConfigError(f'{key}: "{item.strip()}" matches no code; codes look like NX201 or a prefix like NX2')
            codes.append(code)
    return tuple(codes)


def parse_severities(items: Iterable[str] | Mapping[str, Any], key: str = "severity") -> dict[str, Severity]:
    pairs = items.items() if isinstance(items, Mapping) else (_split_pair(item, key) for item in items)
    out: dict[str, Severity] = {}
    for code, level in pairs:
        (code,) = parse_codes([code], key)
        if code == "NX001":
            raise ConfigError(f"{key}: NX001 (yaml-syntax) is always an error")
        if level not in SEVERITIES:
            raise ConfigError(f'{key}: "{level}" for {code} is not one of {", ".join(SEVERITIES)}')
        out[code] = level
    return out


def _split_pair(item: str, key: str) -> tuple[str, str]:
    code, sep, level = item.partition("=")
    if not sep:
        raise ConfigError(f'{key}: "{item}" should look like NX215=error')
    return code.strip(), level.strip().lower()


def _level(value: Any, key: str) -> Severity:
    if value not in SEVERITIES:
        raise ConfigError(f'"{key}" must be one of {", ".join(SEVERITIES)}, not {value!r}')
    return value


def _seconds_or_hours(low: float, high: float, label: str) -> Any:
    """A number in [low, high]: NaN, infinities and negative times would undo a deadline or a TTL."""
    def parse(value: Any, key: str) -> float:
        number = _typed(float, label)(value, key)
        if not (math.isfinite(number) and low <= number <= high):
            raise ConfigError(f'"{key}" must be {label} from {low:g} to {high:g}, not {value!r}')
        return float(number)
    return parse


def _typed(kind: type, label: str) -> Any:
    def parse(value: Any, key: str) -> Any:
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or isinstance(value, bool) is not (kind is bool):
            raise ConfigError(f'"{key}" must be {label}, not {value!r}')
        return value
    return parse


_KEYS = {
    "select": ("select", _codes),
    "ignore": ("ignore", _codes),
    "severity": ("severity", lambda v, k: parse_severities(_mapping(v, k), k)),
    "fail-on": ("fail_on", _level),
    "schema": ("schema", _typed(str, "a string")),
    "remote": ("remote", _typed(bool, "true or false")),
    "api-url": ("api_url", _typed(str, "a string")),
    "timeout": ("timeout", _seconds_or_hours(0.1, 300, "a number of seconds")),  # as --timeout
    "schema-ttl-hours": ("schema_ttl_hours", _seconds_or_hours(0, 24 * 365, "a number of hours")),
    "max-file-size": ("max_file_size", _typed(int, "a number of bytes")),
}
assert {name for name, _ in _KEYS.values()} <= {f.name for f in fields(Settings)}


def _mapping(value: Any, key: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(f'"{key}" must be a table, like {{ NX215 = "error" }}')
    return value


def settings_from_table(table: Mapping[str, Any], source: str) -> Settings:
    values: dict[str, Any] = {"config_file": source}
    for key, value in table.items():
        if key.replace("_", "-") == "remote-send-secrets":
            # Only the person running the tool may send secret values: a config file may come
            # with the repository being linted (a pull request can change it). `false` asks
            # for nothing, so it is accepted.
            if value is not False:
                raise ConfigError(f'{source}: "{key}" can only be given on the command line '
                                  "(--remote-send-secrets): a config file may come with the repository being "
                                  "linted, and must not be able to send its secrets")
            continue
        if key not in _KEYS:
            import difflib

            close = difflib.get_close_matches(key.replace("_", "-"), list(_KEYS), n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            raise ConfigError(f'{source}: unknown setting "{key}"{hint}; known: {", ".join(sorted(_KEYS))}')
        name, parse = _KEYS[key]
        try:
            values[name] = parse(value, key)
        except ConfigError as exc:
            raise ConfigError(f"{source}: {exc}") from None
    return Settings(**values)


def schema_uses_network(spec: str) -> bool:
    """Whether `--schema spec` fetches over the network: "remote" or an http(s) URL."""
    return spec == "remote" or spec.startswith(("https://", "http://"))


def without_network(settings: Settings) -> tuple[Settings, tuple[str, ...]]:
    """`settings` with nothing that would make a network request, and the config keys that asked
    for one (the language server uses a repository's config this way unless the editor allows
    network use)."""
    asked = (("remote", settings.remote), ("remote-send-secrets", settings.remote_send_secrets),
             ("api-url", settings.api_url is not None), ("schema", schema_uses_network(settings.schema)))
    offline = replace(settings, remote=False, remote_send_secrets=False, api_url=None,
                      schema="bundled" if schema_uses_network(settings.schema) else settings.schema)
    return offline, tuple(key for key, on in asked if on)


def read_config(path: Path) -> Settings:
    """Settings from one file: `[tool.nexlayer-lint]` in pyproject.toml, top level elsewhere."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read config {path}: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        table = document.get("tool", {}).get("nexlayer-lint", {})
    else:
        table = document.get("tool", {}).get("nexlayer-lint", document)
    if not isinstance(table, Mapping):
        raise ConfigError(f"{path}: [tool.nexlayer-lint] must be a table")
    return settings_from_table(table, str(path))


def find_config(start: Path) -> Path | None:
    """Walk up from `start`: the first .nexlayer-lint.toml, or pyproject.toml with our table."""
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name == "pyproject.toml" and not _has_our_table(candidate):
                continue
            return candidate
    return None


def _has_our_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return "[tool.nexlayer-lint" in text


def discover(start: Path, explicit: str | None = None, isolated: bool = False) -> Settings:
    if isolated:
        return Settings()
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            what = "is a directory, not a file" if path.is_dir() else "does not exist"
            raise ConfigError(f"config file {explicit} {what}")
        return read_config(path)
    found = find_config(start.resolve())
    return read_config(found) if found else Settings()
