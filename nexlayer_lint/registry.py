"""The one table of codes: code, name, default severity, summary."""

from __future__ import annotations

from typing import NamedTuple

from nexlayer_lint.model import Severity


class Rule(NamedTuple):  # a named tuple, as model.py's types: cheaper to create at start-up
    code: str
    name: str
    severity: Severity
    summary: str
    # Where the rule comes from: "loader", "schema", "check", "suppress" or "remote".
    stage: str


_RULES = (
    Rule("NX001", "yaml-syntax", "error", "the file is not parseable YAML", "loader"),
    Rule("NX002", "duplicate-key", "error", "a mapping repeats a key", "loader"),
    Rule("NX003", "multiple-documents", "error", "more than one YAML document in the file", "loader"),
    Rule("NX004", "empty-document", "error", "the file is empty, only comments, or null", "loader"),
    Rule("NX005", "yaml11-ambiguous-scalar", "warning",
         "an unquoted scalar that YAML 1.1 parsers read differently", "check"),
    Rule("NX099", "unused-suppression", "warning",
         "a `# nexlayer-lint: disable=` comment that suppressed nothing", "suppress"),
    Rule("NX101", "missing-key", "error", "a required key is missing", "schema"),
    Rule("NX102", "unknown-key", "warning", "a key the schema does not define", "schema"),
    Rule("NX103", "wrong-type", "error", "a value has the wrong type", "schema"),
    Rule("NX104", "invalid-value", "error",
         "a value breaks a pattern, format, enum, bound, length, count or uniqueness rule", "schema"),
    Rule("NX105", "schema-violation", "error", "any other schema rule is broken", "schema"),
    Rule("NX201", "no-public-path", "error", "no pod has a `path`, so nothing is routed", "check"),
    Rule("NX202", "postgres-data-mount", "error",
         "a Postgres volume is mounted at /var/lib/postgresql/data", "check"),
    Rule("NX203", "registry-template-missing", "error",
         "an image names the private registry literally instead of `<% REGISTRY %>`", "check"),
    Rule("NX204", "registry-login-missing", "error",
         "an image uses `<% REGISTRY %>` but there is no `registryLogin`", "check"),
    Rule("NX205", "unknown-template", "warning",
         "a `<% NAME %>` placeholder other than REGISTRY and URL", "check"),
    Rule("NX206", "misplaced-registry-template", "error",
         "`<% REGISTRY %>` is not the first segment of an image", "check"),
    Rule("NX207", "duplicate-pod-name", "error", "two pods share a name", "check"),
    Rule("NX208", "unknown-pod-reference", "error", "a var refers to a pod that does not exist", "check"),
    Rule("NX209", "unexposed-port", "warning",
         "a var refers to a port the pod does not expose", "check"),
    Rule("NX210", "duplicate-path", "warning", "two pods share a `path`", "check"),
    Rule("NX211", "duplicate-volume-name", "error", "two volumes share a name", "check"),
    Rule("NX212", "mount-path-conflict", "error",
         "two volumes or secrets of one pod share a mountPath", "check"),
    Rule("NX213", "plaintext-secret", "warning",
         "a secret-looking var holds a literal value", "check"),
    Rule("NX214", "plaintext-registry-token", "warning",
         "`personalAccessToken` is a literal credential", "check"),
    Rule("NX215", "unpinned-image", "warning", "an image has no tag, or `:latest`, and no digest", "check"),
    Rule("NX216", "vars-list-form", "warning",
         "`vars` is a list of `{key, value}` instead of a mapping", "check"),
    Rule("NX217", "placeholder-image", "info", "an image is a pipeline placeholder", "check"),
    Rule("NX900", "remote-unavailable", "warning",
         "the Nexlayer API could not be used; says what was used instead", "remote"),
    Rule("NX901", "remote-rejected", "error", "the Nexlayer API's /validate rejected the file", "remote"),
    Rule("NX902", "remote-disagrees", "warning", "the local and remote verdicts differ", "remote"),
)

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}
# Codes that can be neither turned off nor downgraded: without a parse there is nothing to lint.
UNSUPPRESSIBLE = frozenset({"NX001"})


def by_name_or_code(key: str) -> Rule | None:
    """Find a rule by its code (`NX201`) or its name (`no-public-path`)."""
    key = key.strip()
    if key.upper() in RULES:
        return RULES[key.upper()]
    return next((rule for rule in _RULES if rule.name == key), None)
