"""The `nexlayer-lint` command and `python -m nexlayer_lint`: the CLI in a process of its own.

Only here, where the process is ours from start to end, does it tune the garbage collector. A
run allocates many objects that live until exit (modules, the schema, compiled patterns) and
little cyclic garbage, so the collector's passes over them are wasted work:

- a larger first generation (50,000 objects, not 700) means fewer passes while importing and
  linting (the server, a long-lived process, is well served by it too);
- `gc.freeze()` at exit moves every object out of the collector's reach, so the interpreter's
  last collections skip them; the process is ending and the memory goes back at once. Exit
  handlers registered later run before it, and the interpreter still flushes stdout and stderr.

Together about a fifth of a one-file run (benchmarks/README.md); nothing else depends on it.
"""

from __future__ import annotations

import atexit
import gc


def main() -> None:
    gc.set_threshold(50_000)
    atexit.register(gc.freeze)
    from nexlayer_lint.cli import main as cli

    cli()


if __name__ == "__main__":
    main()
