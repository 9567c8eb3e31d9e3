"""The editor's fix-all (`source.fixAll.nexlayer-lint` over stdio) and `--fix` give the same text.

The server's own NX005 quote (server.with_server_fixes, until the check makes that fix) is left
out: the files here have no NX005.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("pygls", reason="the language server is the optional `lsp` extra")
pytest.importorskip("pytest_lsp")

from lsprotocol import types as lsp

from nexlayer_lint.cli import main
from tests.conftest import SHARED
from tests.test_fix_cli import FIXED, MISSPELT
from tests.test_server import HANG_GUARD, _make_client, apply_text_edits, open_doc, source_actions

CASES = {
    "lf": (MISSPELT, ""),
    "crlf": (MISSPELT.replace("\n", "\r\n"), ""),
    "flow": ("application: {name: shop, pods: [{name: web, image: 'nginx:1.27', Path: /, servicePort: [80]}]}\n", ""),
    "a rename that would duplicate a key": (MISSPELT.replace("      image:", "      path: /api\n      image:"), ""),
    "unfixable in the config": (MISSPELT, 'unfixable = ["NX101"]\n'),
    "nothing to fix": (FIXED, ""),
}


def _corpus_cases() -> dict[str, tuple[str, str]]:
    """The corpus files that have a fixable finding (a few today; more as checks make fixes)."""
    from nexlayer_lint.engine import lint

    folder = SHARED / "corpus" / "real"
    found: dict[str, tuple[str, str]] = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
        text = path.read_bytes().decode("utf-8", "replace")
        if "\x00" not in text and any(d.fix is not None for d in lint(text, path.name).diagnostics):
            found[f"corpus {path.name}"] = (text, "")
        if len(found) == 20:
            break
    return found


def test_fix_all_in_the_editor_and_fix_on_the_command_line_give_the_same_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = {**CASES, **_corpus_cases()}
    folders = {}
    for index, (name, (_text, config)) in enumerate(cases.items()):
        folder = tmp_path / f"case{index}"
        folder.mkdir()
        if config:
            (folder / ".nexlayer-lint.toml").write_text(config, encoding="utf-8")
        folders[name] = folder

    async def session() -> dict[str, str]:
        client = _make_client()
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
        await client.start_io(sys.executable, "-m", "nexlayer_lint", "server", env=env)
        # no resolve support: the fix-all action comes with its edit
        await client.initialize_session(
            lsp.InitializeParams(capabilities=lsp.ClientCapabilities(), initialization_options={"debounce": 0})
        )
        try:
            fixed = {}
            for name, (text, _) in cases.items():
                uri = (folders[name] / "nexlayer.yaml").as_uri()
                await open_doc(client, uri, text)
                actions = await source_actions(client, uri, "source.fixAll.nexlayer-lint")
                edits = list(actions[0].edit.changes[uri]) if actions else []  # type: ignore[union-attr,index]
                fixed[name] = apply_text_edits(text, edits)
            return fixed
        finally:
            await client.shutdown_session()
            await client.stop()

    in_editor = asyncio.run(asyncio.wait_for(session(), HANG_GUARD * 2))
    for name, (text, _) in cases.items():
        path = folders[name] / "nexlayer.yaml"
        path.write_bytes(text.encode("utf-8"))
        monkeypatch.chdir(folders[name])
        CliRunner().invoke(main, ["--fix", "nexlayer.yaml"], catch_exceptions=False)
        assert path.read_bytes().decode("utf-8") == in_editor[name], name
    assert in_editor["lf"] == FIXED and in_editor["crlf"] == FIXED.replace("\n", "\r\n")
    assert in_editor["unfixable in the config"] == MISSPELT.replace("Path:", "path:")
    assert in_editor["nothing to fix"] == FIXED
