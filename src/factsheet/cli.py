"""The `factsheet` command: options in, calls out, no pipeline logic. Errors from the
tool print as `Error: file:line:col: key.path: message` with the error's exit code and
no traceback (unless `--debug`). Heavy libraries are imported only by the commands that
need them, so `factsheet --help` and `factsheet schema` start fast."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from factsheet import __version__
from factsheet.errors import ErrorGroup, FactsheetError

EXIT_CODES = """\b
Exit codes:
  0   success
  1   some factsheets failed to build
  2   wrong command-line usage
  65  invalid spec, theme or data
  66  a spec, data file, image, font or theme is missing
  70  internal error (a bug in factsheet)
  74  the output cannot be written
  130 interrupted"""


@click.group(epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="factsheet")
def main() -> None:
    """Turn a YAML spec and its data into a branded, print-ready PDF factsheet."""


@main.command(epilog=EXIT_CODES)
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--debug", is_flag=True, help="Show a traceback when something fails.")
def build(specs: tuple[Path, ...], debug: bool) -> None:
    """Build the PDF of each SPEC."""
    from factsheet.build import build as build_one

    worst = 0
    for spec in specs:
        try:
            result = build_one(spec)
        except FactsheetError as exc:
            if debug:
                raise
            _report(exc)
            worst = max(worst, exc.exit_code)
            continue
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)
        except Exception as exc:  # a bug in factsheet, not in the user's input
            if debug:
                raise
            click.echo(
                f"Internal error while building {spec}: {type(exc).__name__}: {exc}\n"
                "This is a bug in factsheet; run again with --debug for the traceback.",
                err=True,
            )
            worst = max(worst, 70)
            continue
        click.echo(
            f"built {_shown(result.output)}: {result.pages} pages, "
            f"{result.size / 1024:.0f} KiB, {result.seconds * 1000:.0f} ms"
        )
    sys.exit(worst)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the spec format (for editor completion)."""
    from factsheet.spec.model import Spec

    click.echo(json.dumps(Spec.model_json_schema(by_alias=True), indent=2))


def _report(exc: FactsheetError) -> None:
    problems = exc.errors if isinstance(exc, ErrorGroup) else [exc]
    for problem in problems:
        click.echo(f"Error: {problem}", err=True)
    if len(problems) > 1:
        click.echo(f"{len(problems)} problems found.", err=True)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
