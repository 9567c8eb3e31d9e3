"""Every finding over the corpus and generated files, held to tests/snapshots/ (see tests/snapshot.py)."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from tests.conftest import SHARED, shared_dir
from tests.snapshot import SNAPSHOTS, corpus_documents, generated_documents, snapshot_lines

UPDATE = os.environ.get("NEXLAYER_UPDATE_SNAPSHOT") == "1"


def _compare(lines: list[str], snapshot: Path) -> None:
    text = "\n".join(lines) + "\n"
    if UPDATE:
        snapshot.parent.mkdir(exist_ok=True)
        snapshot.write_text(text, encoding="utf-8")
        return
    expected = snapshot.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), text.splitlines(keepends=True), str(snapshot), "now", n=0
            )
        )
        raise AssertionError(
            f"findings differ from {snapshot.name} (NEXLAYER_UPDATE_SNAPSHOT=1 to accept on purpose):\n{diff[:20000]}"
        )


def test_generated_files_match_the_snapshot() -> None:
    _compare(snapshot_lines(generated_documents()), SNAPSHOTS / "generated.txt")


def test_corpus_matches_the_snapshot() -> None:
    if UPDATE and not SHARED.joinpath("corpus", "real").exists():
        # an update must not leave the corpus's part stale for CI, which has the corpus, to refuse
        raise AssertionError("NEXLAYER_UPDATE_SNAPSHOT=1 needs the corpus in ../shared/corpus/real beside the checkout")
    folder = shared_dir("corpus", "real")
    _compare(snapshot_lines(corpus_documents(folder)), SNAPSHOTS / "corpus.txt")
