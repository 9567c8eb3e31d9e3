"""The real-world corpus (../shared/corpus/real/): no crash, positions inside the file, and the
verdicts of SOURCES.md, with list-form vars (NX216) and unknown keys (NX102) counted as warnings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nexlayer_lint.config import Settings
from nexlayer_lint.engine import Linter
from nexlayer_lint.model import FileResult
from tests.conftest import shared_dir

# Clauses of the "why" column that are notes about provenance, not findings.
NOTE = re.compile(r"^(from index text|extracted from|taken from|code block was|REDACTED|identical content|'\\\$')")
# Findings SOURCES.md counts as errors but the linter, by design, as warnings.
WARNING_ONLY = re.compile(
    r"vars is a list|newest docs require a key:value mapping"
    r"|unknown (top-level |application )?keys|^pods\[\d+\] unknown keys"
)
MIN_AGREEMENT = 0.95


def expected_verdicts(corpus: Path) -> dict[str, tuple[bool, str]]:
    """file name -> (should the linter report an error?, SOURCES.md's reasons)."""
    verdicts = {}
    for line in (corpus / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) < 8 or not cells[1].startswith("`"):
            continue
        name, verdict, why = cells[1].strip("`"), cells[6], cells[7]
        clauses = [c.strip() for c in why.split(";") if c.strip() and not NOTE.match(c.strip())]
        # "…" means SOURCES.md left reasons out: then its INVALID stands.
        warning_only = "…" not in clauses and all(WARNING_ONLY.search(c) for c in clauses)
        verdicts[name] = (verdict == "INVALID" and not warning_only, why)
    return verdicts


@pytest.fixture(scope="module")
def corpus_results() -> tuple[dict[str, tuple[bool, str]], dict[str, tuple[str, FileResult]]]:
    corpus = shared_dir("corpus", "real")
    verdicts = expected_verdicts(corpus)
    linter = Linter(Settings())
    results = {}
    for name in verdicts:
        text = (corpus / name).read_bytes()
        results[name] = (text.decode("utf-8", errors="replace"), linter.lint(text, name))
    return verdicts, results


def test_sources_md_lists_every_file(corpus_results) -> None:
    verdicts, _ = corpus_results
    corpus = shared_dir("corpus", "real")
    on_disk = {p.name for p in corpus.iterdir() if p.suffix in (".yaml", ".yml")}
    assert set(verdicts) == on_disk
    assert len(verdicts) == 248


def test_no_crash_and_every_diagnostic_inside_the_file(corpus_results) -> None:
    _, results = corpus_results
    bad = []
    for name, (text, result) in results.items():
        if result.error:
            bad.append(f"{name}: {result.error}")
            continue
        lines = text.splitlines() or [""]
        for d in result.diagnostics:
            inside = (
                1 <= d.line <= len(lines)
                and 1 <= d.col <= len(lines[d.line - 1]) + 1
                and (d.end_line, d.end_col) >= (d.line, d.col)
                and (
                    (d.end_line <= len(lines) and d.end_col <= len(lines[d.end_line - 1]) + 1)
                    or (d.end_line == len(lines) + 1 and d.end_col == 1)
                )
            )
            if not inside:
                bad.append(f"{name}: {d.code} at {d.line}:{d.col}-{d.end_line}:{d.end_col}")
        # the masked text is made for code frames, so only for a file with something to frame
        assert len(result.masked_text.splitlines()) == (len(text.splitlines()) if result.diagnostics else 0), name
    assert bad == []


def test_verdicts_agree_with_sources_md(corpus_results) -> None:
    verdicts, results = corpus_results
    disagree = []
    for name, (should_fail, why) in verdicts.items():
        errors = [d for d in results[name][1].diagnostics if d.severity == "error"]
        if bool(errors) != should_fail:
            found = ", ".join(f"{d.code}@{d.line}" for d in errors) or "no error"
            disagree.append(f"{name}: SOURCES.md {'INVALID' if should_fail else 'valid'} ({why}); linter: {found}")
    agreement = 1 - len(disagree) / len(verdicts)
    assert agreement >= MIN_AGREEMENT, "\n".join(disagree)


def test_no_secret_value_in_any_message(corpus_results) -> None:
    """The corpus holds real literal secrets (POSTGRES_PASSWORD: ...): none may reach a message."""
    from nexlayer_lint import loader, secrets

    _, results = corpus_results
    leaks = []
    for name, (text, result) in results.items():
        doc, _ = loader.load(text, name)
        if doc is None:
            continue
        masked = secrets.mask_text(doc)  # what a code frame of this file would show, findings or not
        values = [doc.get(*path) for path in secrets.secret_paths(doc)]
        # A value also written elsewhere (a user named like the password) may be named in a message
        # as that other thing, and a plain lower-case word ("secret") may be a word of a message.
        values = [
            v
            for v in values
            if isinstance(v, str)
            and len(v) >= 6
            and secrets.is_literal_secret(v)
            and v not in masked
            and not (v.isalpha() and v.islower())
        ]
        for d in result.diagnostics:
            for value in values:
                if value in d.message or value in (d.hint or ""):
                    leaks.append(f"{name}: {d.code}")
        assert result.masked_text in (masked, ""), name
        # masked where it is, by position (the same text elsewhere, a user named `postgres`, stays)
        for path in secrets.secret_paths(doc):
            located = doc.positions.get(path)
            text_of = doc.source_of(path)
            if (
                located is not None
                and text_of
                and secrets.is_literal_secret(doc.get(*path))
                and "${" not in text_of
                and "<%" not in text_of
            ):
                line = masked.splitlines()[located.value.line - 1]
                shown = line[located.value.col - 1 : located.value.end_col - 1].strip("'\"")
                assert set(shown) == {"*"}, f"{name}: a secret is left in the masked text"
    assert leaks == []


def test_the_strict_schema_gives_no_file_the_platform_accepts_an_invalid_value(corpus_results) -> None:
    """Each value rule of the bundled schema (NX104: DNS names, image references, var names, sizes,
    paths...) is the platform's own: no file SOURCES.md calls valid breaks one (issue 15)."""
    verdicts, results = corpus_results
    valid = [name for name, (should_fail, _) in verdicts.items() if not should_fail]
    assert len(valid) > 150
    broken = [
        f"{name}:{d.line}: {d.message}" for name in valid for d in results[name][1].diagnostics if d.code == "NX104"
    ]
    assert broken == []
