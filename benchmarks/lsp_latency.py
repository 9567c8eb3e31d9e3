"""The language server's latency: time from didChange to publishDiagnostics for a 100-line file.

    .venv/bin/python benchmarks/lsp_latency.py                 # 100 changes, no debounce
    .venv/bin/python benchmarks/lsp_latency.py --debounce 150  # the editor default, debounce included

Starts `python -m nexlayer_lint server` once, opens a 100-line nexlayer.yaml and sends `changes`
full-text changes one after the other, each waiting for the diagnostics of its own version. With
`debounce_ms=0` the number is the server's own cost (JSON-RPC both ways, lint, conversion); an
editor adds the debounce (150 ms by default) on top. `measure()` is importable (benchmarks/compare.py).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

PODS = 12  # 12 pods of 8 lines, plus the header: 100 lines


def document(variant: int) -> str:
    """A valid 100-line file; `variant` changes one image tag, so every change is a real edit."""
    out = ["application:", "  name: bookshop", "  pods:"]
    for i in range(PODS):
        tag = f"1.{variant}.{i}" if i == 0 else f"1.0.{i}"
        out += [f"    - name: web{i}", f"      image: ghcr.io/acme/web{i}:{tag}", f"      path: /p{i}",
                f"      servicePorts: [{3000 + i}]", "      vars:",
                f"        API_URL: http://web{(i + 1) % PODS}.pod:{3000 + (i + 1) % PODS}",
                "        MODE: production", "        # the next pod"]
    out.append("# end")
    return "\n".join(out) + "\n"


async def _measure(changes: int, debounce_ms: float) -> dict[str, Any]:
    from lsprotocol import types as lsp
    from pygls.lsp.client import LanguageClient

    client = LanguageClient("lsp-latency", "1")
    arrived: dict[int, float] = {}
    waiting: dict[int, asyncio.Future[None]] = {}

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: lsp.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            arrived.setdefault(params.version, time.perf_counter())
            future = waiting.get(params.version)
            if future is not None and not future.done():
                future.set_result(None)

    await client.start_io(sys.executable, "-m", "nexlayer_lint", "server")
    loop = asyncio.get_running_loop()
    try:
        await client.initialize_async(lsp.InitializeParams(
            capabilities=lsp.ClientCapabilities(), initialization_options={"debounce": debounce_ms}))
        client.initialized(lsp.InitializedParams())
        with tempfile.TemporaryDirectory() as folder:
            uri = (Path(folder) / "nexlayer.yaml").as_uri()
            text = document(0)
            assert len(text.splitlines()) == 100
            waiting[1] = loop.create_future()
            client.text_document_did_open(lsp.DidOpenTextDocumentParams(
                text_document=lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)))
            await asyncio.wait_for(waiting[1], 60)  # warm-up: imports, schema, first lint
            samples = []
            for version in range(2, changes + 2):
                waiting[version] = loop.create_future()
                sent = time.perf_counter()
                client.text_document_did_change(lsp.DidChangeTextDocumentParams(
                    text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=document(version))]))
                await asyncio.wait_for(waiting[version], 60)
                samples.append((arrived[version] - sent) * 1000)
        await client.shutdown_async(None)
        client.exit(None)
    finally:
        await client.stop()
    samples.sort()
    return {
        "median_ms": statistics.median(samples),
        "p95_ms": samples[max(int(round(0.95 * len(samples))) - 1, 0)],
        "changes": changes,
        "lines": 100,
        "debounce_ms": debounce_ms,
    }


def measure(changes: int = 100, debounce_ms: float = 0.0) -> dict[str, Any]:
    """Median and p95 (ms) from didChange to publishDiagnostics over `changes` changes of a 100-line file."""
    return asyncio.run(_measure(changes, debounce_ms))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument("--debounce", type=float, default=0.0, help="server debounce in ms (editor default: 150)")
    args = parser.parse_args(argv)
    result = measure(args.changes, args.debounce)
    print(f"didChange -> publishDiagnostics, {result['lines']}-line file, {result['changes']} changes, "
          f"debounce {result['debounce_ms']:g} ms: median {result['median_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
