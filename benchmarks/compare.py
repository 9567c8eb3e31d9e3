"""nexlayer-lint against check-jsonschema: same files, same schema, alternating runs, medians and ratios.

    .venv/bin/python benchmarks/compare.py            # the full run (a few minutes on 2 cores)
    .venv/bin/python benchmarks/compare.py --quick    # fewer repetitions, 1,000 files for memory

Workloads are typical three-pod nexlayer.yaml files written to a temporary folder. Each case
runs both tools back to back, swapping which goes first every round, so a busy machine slows
both alike. ratio = our median wall time / theirs (below 1: we are faster); speed-up = its
inverse; CPU ratio = the same for user+system CPU time (workers included), steadier on a busy
machine. Peak memory is each process's own maximum resident set size (`os.wait4`, workers
included), so earlier runs never inflate it.
"""

from __future__ import annotations

import argparse
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

HERE = Path(__file__).resolve().parent

# A typical file: three pods (web, api, Postgres), vars, one volume. {n} makes every file distinct.
TEMPLATE = """\
# A three-pod app: a public web front end, an API behind /api, and Postgres.
application:
  name: bookshop-{n}
  pods:
    - name: web
      image: ghcr.io/acme/bookshop-web:1.4.{n}
      path: /
      servicePorts: [3000]
      vars:
        API_URL: http://api.pod:8000
        PUBLIC_URL: <% URL %>
    - name: api
      image: ghcr.io/acme/bookshop-api:1.4.{n}
      path: /api
      servicePorts: [8000]
      vars:
        DATABASE_URL: postgresql://shop:${{DB_PASSWORD}}@db.pod:5432/shop
        DB_PASSWORD: ${{DB_PASSWORD}}
    - name: db
      image: postgres:16.4
      servicePorts: [5432]
      vars:
        POSTGRES_USER: shop
        POSTGRES_DB: shop
        POSTGRES_PASSWORD: ${{DB_PASSWORD}}
        PGDATA: /var/lib/postgresql/pgdata
      volumes:
        - name: db-data
          size: 2Gi
          mountPath: /var/lib/postgresql
"""


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float  # user + system, the process and the children it waited for (workers)
    max_rss_kib: int
    exit_code: int


@dataclass(frozen=True)
class Case:
    name: str
    ours: list[str]
    theirs: list[str]
    repeat: int


def tool(name: str) -> str:
    """The venv's console script when there is one (the same interpreter for both tools)."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        sys.exit(f"compare.py: {name} not found; install with `pip install -e '.[bench]'`")
    return found


def make_files(root: Path, count: int) -> list[str]:
    """`count` distinct files under root/NNNNN/nexlayer.yaml; paths relative to root, in order."""
    paths = []
    for n in range(count):
        rel = f"{n:05d}/nexlayer.yaml"
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(TEMPLATE.format(n=n), encoding="utf-8")
        paths.append(rel)
    return paths


# As installed tools run for a user: with bytecode caches (PYTHONDONTWRITEBYTECODE would make
# every run of an editable checkout compile its sources again).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(argv: Sequence[str], cwd: Path) -> Run:
    """Wall time and this process's own peak RSS (KiB on Linux), output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped; tell Popen so
    return Run(elapsed, usage.ru_utime + usage.ru_stime, int(usage.ru_maxrss), proc.returncode)


def alternate(case: Case, cwd: Path, warm_up: bool = True) -> tuple[list[Run], list[Run]]:
    if warm_up:  # bytecode and file caches, as on any run but the first after an install
        run_once(case.ours, cwd), run_once(case.theirs, cwd)
    ours: list[Run] = []
    theirs: list[Run] = []
    for round_ in range(case.repeat):
        pairs: list[tuple[list[str], list[Run]]] = [(case.ours, ours), (case.theirs, theirs)]
        for argv, into in pairs if round_ % 2 == 0 else reversed(pairs):
            into.append(run_once(argv, cwd))
    return ours, theirs


def median(runs: list[Run], field: Callable[[Run], float]) -> float:
    return statistics.median(field(r) for r in runs)


def fmt_time(seconds: float) -> str:
    return f"{seconds * 1000:8.0f} ms" if seconds >= 0.1 else f"{seconds * 1000:8.1f} ms"


def lsp_latency() -> str | None:
    """The language server's change-to-diagnostics latency, from benchmarks/lsp_latency.py if present."""
    if not (HERE / "lsp_latency.py").exists():
        return None
    sys.path.insert(0, str(HERE))
    try:
        import lsp_latency  # type: ignore[import-not-found]

        result = lsp_latency.measure()
    except Exception as exc:  # noqa: BLE001 - a broken optional benchmark must not sink the others
        return f"failed: {type(exc).__name__}: {exc}"
    finally:
        sys.path.remove(str(HERE))
    if isinstance(result, dict) and "median_ms" in result:
        return (f"median {result['median_ms']:.1f} ms, p95 {result.get('p95_ms', float('nan')):.1f} ms "
                f"({result.get('changes', '?')} changes to a {result.get('lines', '?')}-line file, "
                f"debounce {result.get('debounce_ms', 0):g} ms)")
    if isinstance(result, dict):
        return ", ".join(f"{k} {v}" for k, v in result.items())
    if isinstance(result, (int, float)):
        return f"median {result * 1000:.1f} ms" if result < 10 else f"median {result:.1f} ms"
    return str(result)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions; memory on 1,000 files")
    parser.add_argument("--repeat", type=int, help="rounds for the small cases  [default: 21, quick 7]")
    parser.add_argument("--big-repeat", type=int, help="rounds for 1,000 files  [default: 15, quick 3]")
    parser.add_argument("--memory-files", type=int, help="files for the memory case  [default: 10000]")
    parser.add_argument("--keep", action="store_true", help="keep the generated files and print where")
    args = parser.parse_args(argv)
    small = args.repeat or (7 if args.quick else 21)
    big = args.big_repeat or (3 if args.quick else 15)  # this case's ratio is the noisiest
    mem_files = args.memory_files or (1000 if args.quick else 10_000)

    ours_exe, theirs_exe = tool("nexlayer-lint"), tool("check-jsonschema")
    schema = subprocess.run([ours_exe, "schema", "path"], capture_output=True, text=True, check=True).stdout.strip()
    # --isolated: no config file around the temp folder may change what we lint.
    ours = [ours_exe, "check", "--isolated", "--quiet"]
    theirs = [theirs_exe, "--schemafile", schema]

    root = Path(tempfile.mkdtemp(prefix="nexlayer-bench-"))
    try:
        files = make_files(root, max(1000, mem_files))
        cases = [
            Case("--version", [ours_exe, "--version"], [theirs_exe, "--version"], small),
            Case("1 file", ours + files[:1], theirs + files[:1], small),
            Case("10 files", ours + files[:10], theirs + files[:10], small),
            Case("1,000 files", ours + files[:1000], theirs + files[:1000], big),
        ]
        print(f"{subprocess.run([ours_exe, '--version'], capture_output=True, text=True).stdout.strip()}"
              f" vs {subprocess.run([theirs_exe, '--version'], capture_output=True, text=True).stdout.strip()}")
        print(f"schema {schema}; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}; files in {root}")
        print()
        print(f"{'case':<14}{'nexlayer-lint':>14}{'check-jsonschema':>19}{'ratio':>9}{'speed-up':>10}{'CPU ratio':>11}"
              "   per file (ours / theirs)")
        for case in cases:
            mine, others = alternate(case, root)
            bad = {r.exit_code for r in mine + others} - {0}
            a, b = median(mine, lambda r: r.seconds), median(others, lambda r: r.seconds)
            cpu = median(mine, lambda r: r.cpu_seconds) / max(median(others, lambda r: r.cpu_seconds), 1e-9)
            count = len(case.ours) - len(ours) if case.name != "--version" else 0
            per = f"   {a / count * 1000:.2f} / {b / count * 1000:.2f} ms" if count > 1 else ""
            warn = f"   (exit codes {sorted(bad)}!)" if bad else ""
            print(f"{case.name:<14}{fmt_time(a):>14}{fmt_time(b):>19}{a / b:>8.2f}x{b / a:>9.1f}x{cpu:>10.2f}x{per}{warn}")

        label = f"{mem_files:,} files"
        mine, others = alternate(Case(label, ours + files[:mem_files], theirs + files[:mem_files], 1), root, warm_up=False)
        a_mem, b_mem = mine[0].max_rss_kib / 1024, others[0].max_rss_kib / 1024
        print()
        print(f"peak memory, {label}: nexlayer-lint {a_mem:.0f} MiB, check-jsonschema {b_mem:.0f} MiB "
              f"(ratio {a_mem / b_mem:.2f}x); time {mine[0].seconds:.1f} s vs {others[0].seconds:.1f} s")
        latency = lsp_latency()
        print(f"language server, change to diagnostics: {latency}" if latency else
              "language server: benchmarks/lsp_latency.py not present; skipped")
    finally:
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
