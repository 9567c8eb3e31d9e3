"""The language server lints on several threads at once: linting must not share state between them."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from nexlayer_lint import builder
from nexlayer_lint.engine import lint
from tests.snapshot import SEEDS


def _texts() -> list[str]:
    # each one a little different, and long enough that threads switch in the middle of a parse
    return [
        SEEDS[i % len(SEEDS)].replace("application:", f"# variant {i}\n" + "# filler\n" * 200 + "application:", 1)
        for i in range(24)
    ]


@pytest.mark.parametrize("parser", ["libyaml", "pure"])
def test_concurrent_lints_give_what_lints_one_by_one_give(monkeypatch: pytest.MonkeyPatch, parser: str) -> None:
    if parser == "pure":
        monkeypatch.setattr(builder, "CParser", None)
    elif builder.CParser is None:
        pytest.skip("ruamel.yaml.clib is not installed")
    texts = _texts()
    one_by_one = [lint(text).diagnostics for text in texts]
    for _ in range(3):
        with ThreadPoolExecutor(max_workers=4) as pool:
            assert list(pool.map(lambda text: lint(text).diagnostics, texts)) == one_by_one


def test_a_cached_answer_does_not_keep_its_document_alive() -> None:
    # the last session's weak point: each worker thread's one-document caches kept the last
    # document it linted, so a document the language server closed stayed in memory
    import gc
    import weakref

    from nexlayer_lint import loader
    from nexlayer_lint.secrets import document_secrets, mask_text

    doc, _ = loader.load("application:\n  pods:\n    - vars:\n        DB_PASSWORD: Zq9alive\n", "a.yaml")
    assert doc is not None and "Zq9alive" not in mask_text(doc)
    assert document_secrets(doc).found
    gone = weakref.ref(doc)
    del doc
    gc.collect()
    assert gone() is None


def test_an_idle_worker_keeps_nothing_of_its_last_job() -> None:
    # hunt 165 F1: a worker thread waiting for its next job kept its last job and outcome (a
    # closed document's text, parse and findings) in its local variables
    import asyncio
    import gc
    import weakref

    from nexlayer_lint import server

    class Result:
        pass

    refs: list[weakref.ref[Result]] = []

    def job() -> Result:
        result = Result()
        refs.append(weakref.ref(result))
        return result

    async def scenario() -> None:
        scheduler = server.Scheduler(limit=1)
        assert isinstance(await scheduler.submit("a", job), Result)

    asyncio.run(scenario())
    gc.collect()
    assert refs and refs[0]() is None
