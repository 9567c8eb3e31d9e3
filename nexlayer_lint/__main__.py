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

A standard stream the process was started without (`>&-`, `2>&-`, some supervisors) is None in
Python; it becomes os.devnull here, so what would go to it is dropped and the run still writes
its `-o` reports and exits with its own code (a None stdout was a traceback and exit 1).
"""

from __future__ import annotations

import atexit
import gc
import os
import sys


def main() -> None:
    _open_closed_streams()
    _escape_what_streams_cannot_encode()
    gc.set_threshold(50_000)
    atexit.register(gc.freeze)
    from nexlayer_lint.cli import main as cli

    try:
        cli()
    except BrokenPipeError:
        raise
    except OSError as exc:  # output that cannot be written (`--statistics > /dev/full`): no traceback, exit 2
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - the last flush would fail again
        sys.stderr.write(f"nexlayer-lint: error: {exc.strerror or exc}\n")
        sys.exit(2)


def _open_closed_streams() -> None:
    # In fd order: each os.devnull takes the lowest free descriptor, so a closed 1 becomes
    # os.devnull and not a report file opened later, which a write to fd 1 would then corrupt.
    for name, mode in (("stdin", "r"), ("stdout", "w"), ("stderr", "w")):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, mode, encoding="utf-8"))  # noqa: SIM115 - kept until exit


def _escape_what_streams_cannot_encode() -> None:
    # Windows writes a pipe or a redirect (`> report.txt`, a CI runner's pipe) in its ANSI code
    # page: a folder named 日本 or an emoji in a var's name was a UnicodeEncodeError, a traceback
    # and exit 1 with the report unwritten (hunt 99 F2). The machine formats go out as UTF-8,
    # which they declare (cli._echo_report); what else cannot be encoded is shown as `\\uXXXX`.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not _is_utf8(getattr(stream, "encoding", None)):
            reconfigure(errors="backslashreplace")


def _is_utf8(encoding: str | None) -> bool:
    import codecs

    try:
        return encoding is not None and codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


if __name__ == "__main__":
    main()
