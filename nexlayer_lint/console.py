"""The console script `nexlayer-lint`: a head start for big batches, the click CLI, a quick exit.

Nothing here imports click or the lint stack before headstart.start() has had its chance to fork:
that is the point of a module apart from cli.py.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from nexlayer_lint import headstart


def run() -> None:
    """Run the CLI, then leave without tearing the interpreter down.

    Everything a run writes is written by then (reports atomically, the schema cache too), and
    no exit handler of ours is pending; the teardown would only free memory the OS takes back
    anyway, about 25 ms after a 1,000-file run. Tests call `cli.main` itself, in-process.
    """
    headstart.start(sys.argv[1:])
    try:
        from nexlayer_lint.cli import main

        main()
        code: Any = 0
    except SystemExit as exc:
        code = exc.code
    finally:
        headstart.dismiss()
    if not isinstance(code, int):  # `sys.exit("message")`, as Python itself would report it
        if code is not None:
            print(code, file=sys.stderr)
        code = 0 if code is None else 1
    if "coverage" in sys.modules or sys.gettrace() is not None:
        sys.exit(code)  # a coverage run or a debugger has exit work of its own to do
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`| head`) or a closed stream: nothing to keep
            pass
    os._exit(code)
