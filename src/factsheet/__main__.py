"""The `factsheet` command as a process: `python -m factsheet` and the installed
`factsheet` script both run :func:`run`. Python puts the working directory first on
`sys.path` for `-m`; it is dropped before anything else is imported, so a project's own
`reportlab_settings.py` (or any other module lying there) is never run."""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
from typing import NoReturn

from factsheet.security import no_imports_from_cwd

no_imports_from_cwd()


def run() -> NoReturn:
    """Run the command, then end the process at once. The exit handlers run and the
    output is flushed as usual, but Python does not take apart every module and object
    the run made, a tenth of a first build spent on memory the system takes back
    anyway. An error that escapes the command (a bug) ends the usual way, with its
    traceback."""
    from factsheet.cli import main

    try:
        main()
    except SystemExit as done:
        code = done.code
    else:  # click's main always exits; this is for a main that returns
        code = 0
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)  # as `sys.exit("message")` does
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a reader that went away (`| head`)
            stream.flush()
    os._exit(code or 0)


if __name__ == "__main__":
    run()
