"""The review loop's commands: `proof`, `approve` and `diff` (sign-off) and `watch` and
`preview` (rebuild on save), registered on the `factsheet` group of :mod:`factsheet.cli`
with its shared options; their work is in :mod:`factsheet.review` and
:mod:`factsheet.preview`."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from factsheet.cli import (
    DEBUG_OPTION,
    EDITION_OPTION,
    EXIT_CODES,
    JOBS_OPTION,
    STRICT_OPTION,
    TIMEOUT_OPTION,
    _editions_option,
    _report,
    _workers,
    main,
)
from factsheet.errors import FactsheetError

REVIEW_EXIT_CODES = """\b
Exit codes:
  0   done
  2   wrong command-line usage (a folder or file outside the
      project, an unknown --against folder)
  65  invalid spec, theme or data
  66  a spec, data file or approved set is missing
  70  internal error (a bug in factsheet; --debug shows the traceback)
  74  a file cannot be written
An edition that fails to build ends the command with its own code."""

DIFF_EXIT_CODES = REVIEW_EXIT_CODES.replace(
    "0   done",
    "0   no change beyond the tolerance\n  1   changes (editions, pages, figures or words)",
)


@main.command(epilog=REVIEW_EXIT_CODES)
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option(
    "-o",
    "--output",
    "target",
    type=click.Path(path_type=Path),
    required=True,
    help="The proof: PATH.pdf (tagged, archival), or PATH.png (one PNG per sheet: "
    "PATH.png, PATH-2.png, ...). Inside the project.",
)
@click.option(
    "--language",
    default=None,
    metavar="TAG",
    help="The language of the sheet's own words, dates and reading direction: ar, en, "
    "es, fr, ru or zh (a region may follow: fr-CA) [default: the language the specs are "
    "written in, their document.language].",
)
@EDITION_OPTION
@JOBS_OPTION
@DEBUG_OPTION
def proof(
    specs: tuple[Path, ...],
    target: Path,
    language: str | None,
    editions: tuple[str, ...],
    jobs: int | None,
    debug: bool,
) -> None:
    """One sheet for sign-off: every edition's pages as labelled thumbnails, in matrix
    order, with warnings flagged, the build date and each spec's input digest. Editions
    that are out of date are built first."""
    from factsheet.review.run import run_proof

    patterns = _editions_option(editions)
    _review(lambda: run_proof(list(specs), patterns, _workers(jobs), target, _say, language), debug)


@main.command(epilog=REVIEW_EXIT_CODES)
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option(
    "--into",
    type=click.Path(path_type=Path),
    default=None,
    help="The folder of approved sets [default: approved/ in the project]; each spec's "
    "set goes in a folder named after it. Inside the project.",
)
@EDITION_OPTION
@DEBUG_OPTION
def approve(
    specs: tuple[Path, ...], into: Path | None, editions: tuple[str, ...], debug: bool
) -> None:
    """Record the current PDFs, their page images (PNG) and the manifest of each SPEC as
    its approved set, to commit beside the spec. Refuses editions that failed or are out
    of date. With --edition, only those editions are approved again."""
    from factsheet.review.run import run_approve

    patterns = _editions_option(editions)
    _review(lambda: run_approve(list(specs), patterns, into, _say), debug)


@main.command(epilog=DIFF_EXIT_CODES)
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option(
    "--against",
    type=click.Path(path_type=Path),
    default=None,
    help="The folder of approved sets [default: approved/ in the project].",
)
@click.option(
    "--html",
    "report",
    type=click.Path(path_type=Path),
    default=None,
    help="Also write a report page (REPORT.html, its images in REPORT_files/): the "
    "changed pages side by side, figures and words. Inside the project.",
)
@click.option(
    "--tolerance",
    type=click.IntRange(0, 255),
    default=16,
    show_default=True,
    help="How far a pixel's red, green or blue value (0-255) may differ before the pixel "
    "counts as changed.",
)
@EDITION_OPTION
@JOBS_OPTION
@DEBUG_OPTION
def diff(
    specs: tuple[Path, ...],
    against: Path | None,
    report: Path | None,
    tolerance: int,
    editions: tuple[str, ...],
    jobs: int | None,
    debug: bool,
) -> None:
    """What changed since each SPEC's editions were approved: pages (pixels beyond the
    tolerance, regions outlined in --html), figures (old and new values), words, and
    editions added or removed. Editions that are out of date are built first."""
    from factsheet.review.run import run_diff

    patterns = _editions_option(editions)
    run = lambda: run_diff(  # noqa: E731
        list(specs), patterns, _workers(jobs), against, report, tolerance, _say
    )
    _review(run, debug, error_floor=2)


def _say(line: str) -> None:
    from factsheet.security import escape_controls

    click.echo(escape_controls(line))


def _review(step: Any, debug: bool, error_floor: int = 1) -> None:
    """Run a review command; its errors print without a traceback, their exit code at
    least `error_floor` (`diff` keeps 1 for "changes")."""
    if debug:
        os.environ["FACTSHEET_DEBUG"] = "1"
    try:
        code = step()
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except FactsheetError as exc:
        if debug:
            raise
        _report(exc)
        sys.exit(max(exc.exit_code, error_floor))
    except Exception as exc:  # a bug in factsheet: say so in one line, as a build does
        if debug:
            raise
        from factsheet.security import escape_controls

        detail = f"internal error: {type(exc).__name__}: {exc} (--debug shows where)"
        click.echo(escape_controls(f"Error: {detail}"), err=True)
        sys.exit(70)
    sys.exit(code)


@main.command(epilog=EXIT_CODES)
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@EDITION_OPTION
@JOBS_OPTION
@TIMEOUT_OPTION
@STRICT_OPTION
@DEBUG_OPTION
def watch(
    specs: tuple[Path, ...],
    editions: tuple[str, ...],
    jobs: int | None,
    timeout: float,
    strict: bool,
    debug: bool,
) -> None:
    """Build every edition of each SPEC, then again each time a spec, data file, theme
    or image it reads is saved (only the editions the change affects). Keeps running
    after a failed build; Ctrl-C stops."""
    from factsheet.editions.run import Options
    from factsheet.preview.watch import run_watch

    options = Options(_editions_option(editions), _workers(jobs), strict=strict, timeout=timeout)
    _review(lambda: run_watch(list(specs), options, _say, _warn_line), debug)


@main.command(epilog=EXIT_CODES)
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="The port to listen on, on 127.0.0.1 only (0 for any free port).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the browser.")
@EDITION_OPTION
@JOBS_OPTION
@TIMEOUT_OPTION
@STRICT_OPTION
@DEBUG_OPTION
def preview(
    specs: tuple[Path, ...],
    port: int,
    open_browser: bool,
    editions: tuple[str, ...],
    jobs: int | None,
    timeout: float,
    strict: bool,
    debug: bool,
) -> None:
    """A local page (on 127.0.0.1) showing every edition of each SPEC, page by page,
    with its status, warnings and errors; it rebuilds on save and updates itself.
    Click a number on a page to see where it comes from. Ctrl-C stops."""
    from factsheet.editions.run import Options
    from factsheet.preview.run import run_preview

    options = Options(_editions_option(editions), _workers(jobs), strict=strict, timeout=timeout)
    run = lambda: run_preview(  # noqa: E731
        list(specs), options, port, open_browser, _say, _warn_line
    )
    _review(run, debug)


def _warn_line(line: str) -> None:
    from factsheet.security import escape_controls

    click.echo(escape_controls(line), err=True)
