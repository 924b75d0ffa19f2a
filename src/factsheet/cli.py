"""The `factsheet` command: options in, calls out, no pipeline logic. Errors from the
tool print as `Error: file:line:col: key.path: message` with the error's exit code and
no traceback (unless `--debug`). Heavy libraries are imported only by the commands that
need them, so `factsheet --help` and `factsheet schema` start fast."""

from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path
from typing import Any

import click

from factsheet import __version__
from factsheet.errors import ErrorGroup, FactsheetError

EXIT_CODES = """\b
Exit codes:
  0   success
  1   several editions failed, for different reasons, or an
      edition ran over its time limit (--timeout)
  2   wrong command-line usage
  65  invalid spec, theme or data
  66  a spec, data file, image, font or theme is missing
  70  internal error (a bug in factsheet; --debug shows the traceback)
  74  the output cannot be written
  130 interrupted (Ctrl-C)"""


@click.group(epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="factsheet")
def main() -> None:
    """Turn a YAML spec and its data into branded, print-ready PDF factsheets."""
    from factsheet.process import fewer_collections
    from factsheet.security import (
        no_imports_from_cwd,
        no_pydantic_plugins,
        pin_reportlab_settings,
    )

    no_imports_from_cwd()  # before ReportLab is imported: it imports reportlab_settings
    no_pydantic_plugins()  # before the spec's models are made
    pin_reportlab_settings()
    fewer_collections()


EDITION_OPTION = click.option(
    "--edition",
    "editions",
    multiple=True,
    metavar="KEY=VALUE",
    help="Only editions whose KEY matches VALUE (a glob such as 'region=*Asia*'; repeatable).",
)


def _editions_option(values: tuple[str, ...]) -> dict[str, list[str]]:
    from factsheet.security import escape_controls

    patterns: dict[str, list[str]] = {}
    for value in values:
        key, sep, glob = value.partition("=")
        if not sep or not key.strip() or not glob.strip():
            raise click.BadParameter(
                f"'{escape_controls(value)}' is not KEY=VALUE", param_hint="--edition"
            )
        patterns.setdefault(key.strip(), []).append(glob.strip())
    return patterns


JOBS_OPTION = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Editions handled at once, in separate processes [default: the CPUs available; at "
    "most twice that].",
)
MAX_TIMEOUT = 7 * 24 * 3600.0  # a week: the timer takes no more, and no edition needs it


def _timeout_option(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if not math.isfinite(value):  # FloatRange lets nan through: it compares false
        raise click.BadParameter(f"{value} is not a number of seconds", ctx, param)
    return value


TIMEOUT_OPTION = click.option(
    "--timeout",
    type=click.FloatRange(min=0, max=MAX_TIMEOUT),
    callback=_timeout_option,
    default=300.0,
    envvar="FACTSHEET_TIMEOUT",
    show_default=True,
    metavar="SECONDS",
    help="Time limit for each edition; an edition that takes longer fails and the others "
    "carry on. 0 for no limit, at most a week (604800). Also set by FACTSHEET_TIMEOUT.",
)
STRICT_OPTION = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
DEBUG_OPTION = click.option("--debug", is_flag=True, help="Show a traceback when something fails.")


@main.command(epilog=EXIT_CODES)
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@EDITION_OPTION
@JOBS_OPTION
@TIMEOUT_OPTION
@click.option("--force", is_flag=True, help="Rebuild even editions whose inputs are unchanged.")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Neither read nor write the build cache (.factsheet-cache/): make every table, "
    "chart and photo afresh.",
)
@click.option(
    "--bundle",
    type=click.Path(path_type=Path),
    default=None,
    help="Also write one PDF holding every edition built, in matrix order. PATH must end "
    "in .pdf, lie inside the project, and be none of the build's inputs or outputs.",
)
@click.option(
    "--bundle-outside",
    is_flag=True,
    help="Allow the --bundle PATH to lie outside the project (it is still never an input, "
    "an edition's PDF or a link).",
)
@STRICT_OPTION
@DEBUG_OPTION
def build(
    specs: tuple[Path, ...],
    editions: tuple[str, ...],
    jobs: int | None,
    timeout: float,
    force: bool,
    bundle: Path | None,
    bundle_outside: bool,
    no_cache: bool,
    strict: bool,
    debug: bool,
) -> None:
    """Build every edition of each SPEC (or those --edition selects)."""
    from factsheet.charts import sidecar

    if no_cache:
        os.environ["FACTSHEET_CACHE"] = "off"  # read by every build step, workers included

    if bundle_outside and bundle is None:
        raise click.UsageError("--bundle-outside is only for a --bundle PATH")
    sidecar.start()  # matplotlib is imported on the second CPU while this one reads the spec
    from factsheet.editions.run import Options

    options = Options(
        _editions_option(editions),
        _workers(jobs),
        force,
        strict=strict,
        bundle=bundle,
        bundle_outside=bundle_outside,
        timeout=timeout,
    )
    _run(specs, options, debug)


@main.command(epilog=EXIT_CODES)
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@EDITION_OPTION
@JOBS_OPTION
@TIMEOUT_OPTION
@STRICT_OPTION
@DEBUG_OPTION
def check(
    specs: tuple[Path, ...],
    editions: tuple[str, ...],
    jobs: int | None,
    timeout: float,
    strict: bool,
    debug: bool,
) -> None:
    """Run every check a build makes, for every edition of each SPEC, and write nothing."""
    from factsheet.editions.run import Options

    options = Options(
        _editions_option(editions),
        _workers(jobs),
        check_only=True,
        strict=strict,
        timeout=timeout,
    )
    _run(specs, options, debug)


def _workers(jobs: int | None) -> int:
    """Worker processes for `--jobs`: never more than twice the CPUs available, and
    saying so when the request was cut."""
    from factsheet.editions.limits import WORKERS_PER_CPU, available_cpus, max_workers

    if jobs is None:
        return available_cpus()
    if jobs > max_workers():
        cpus = available_cpus()
        click.echo(
            f"Note: --jobs {jobs} is more than this machine can use: running at most "
            f"{max_workers()} at once ({WORKERS_PER_CPU} per CPU, {cpus} CPU"
            f"{'s' if cpus != 1 else ''}).",
            err=True,
        )
    return min(jobs, max_workers())


def _run(specs: tuple[Path, ...], options: Any, debug: bool) -> None:
    from factsheet.editions.run import build_all
    from factsheet.report import make_reporter

    if debug:
        os.environ["FACTSHEET_DEBUG"] = "1"
    try:
        summary = build_all(list(specs), options, make_reporter)
    except KeyboardInterrupt:
        click.echo(
            "Interrupted: stopped every worker; editions that finished are recorded in the "
            "manifest, the others keep their earlier PDFs.",
            err=True,
        )
        sys.exit(130)
    except FactsheetError as exc:
        if debug:
            raise
        _report(exc)
        sys.exit(exc.exit_code)
    if debug:
        _raise_first_failure(summary)
    sys.exit(summary.exit_code)


@main.command(name="list")
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@EDITION_OPTION
def list_editions(specs: tuple[Path, ...], editions: tuple[str, ...]) -> None:
    """Print each edition of each SPEC with its key values and output path, then the
    spec's manifest (`SPEC<tab>manifest<tab>PATH`)."""
    from factsheet.editions.expand import select
    from factsheet.editions.expanded import editions_of
    from factsheet.editions.manifest import manifest_path
    from factsheet.report import shown
    from factsheet.security import escape_controls

    patterns = _editions_option(editions)
    worst = 0
    for spec in specs:
        try:
            found = editions_of(spec)
        except FactsheetError as exc:
            _report(exc)
            worst = max(worst, exc.exit_code)
            continue
        for edition in select(found, patterns) if patterns else found:
            line = f"{shown(spec)}\t{edition.label}\t{shown(edition.output)}"
            click.echo(escape_controls(line))
        click.echo(
            escape_controls(f"{shown(spec)}\tmanifest\t{shown(manifest_path(spec.resolve()))}")
        )
    sys.exit(worst)


FIT_EXIT_CODES = """\b
Exit codes:
  0   every page and block of every edition fits
  1   something overflows (its amount is printed), or an edition
      needs more pages than `document.pages`
  2   wrong command-line usage
  65  invalid spec, theme or data
  66  a spec, data file, image, font or theme is missing"""


@main.command(epilog=FIT_EXIT_CODES)
@click.argument("specs", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@EDITION_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document (docs/fit.md).")
@DEBUG_OPTION
def fit(specs: tuple[Path, ...], editions: tuple[str, ...], as_json: bool, debug: bool) -> None:
    """Print how full each block's frame is in every edition of each SPEC (or those
    --edition selects), or how far it overflows, and the tightest edition per block.
    Nothing is drawn or written."""
    from factsheet.fit_report import run_fit

    if debug:
        os.environ["FACTSHEET_DEBUG"] = "1"
    sys.exit(run_fit(list(specs), _editions_option(editions), as_json=as_json))


AUDIT_EXIT_CODES = """\b
Exit codes:
  0   every file passed (warnings allowed, unless --strict)
  1   a file has an error finding (or, with --strict, a warning)
  65  a file is not a readable PDF
  66  a file is missing"""


@main.command(epilog=AUDIT_EXIT_CODES)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document for CI.")
@STRICT_OPTION
def audit(files: tuple[Path, ...], as_json: bool, strict: bool) -> None:
    """Check each PDF FILE, made by factsheet or not, for accessibility (PDF/UA-1) and
    archiving (PDF/A-2b), and print its problems grouped by rule with their pages."""
    from factsheet.audit.run import run_audit

    sys.exit(run_audit(list(files), as_json=as_json, strict=strict))


@main.group(epilog=EXIT_CODES)
def translations() -> None:
    """Catalogs for translators: every text of a spec in gettext files (.pot, .po).
    An edition in another language than the spec's is built from its catalog."""


@translations.command(name="extract", epilog=EXIT_CODES)
@click.argument("spec", type=click.Path(path_type=Path, readable=False))
def translations_extract(spec: Path) -> None:
    """Write translations/SPEC.pot: every text of SPEC, with its key path as context and
    its file and line."""
    from factsheet.translations import catalogs

    _catalog_step(lambda: [catalogs.extract(spec, _warn)])


@translations.command(name="update", epilog=EXIT_CODES)
@click.argument("spec", type=click.Path(path_type=Path, readable=False))
@click.option(
    "--language",
    "languages",
    multiple=True,
    metavar="LANG",
    help="Also make the catalog of this language (a BCP 47 tag such as fr; repeatable).",
)
@click.option(
    "--from",
    "start_from",
    type=click.Path(path_type=Path, readable=False),
    metavar="OTHER_SPEC",
    help="Start new catalogs from OTHER_SPEC's translations (last year's spec, say): "
    "texts that did not change keep their translation, the rest are fuzzy or new.",
)
def translations_update(spec: Path, languages: tuple[str, ...], start_from: Path | None) -> None:
    """Merge SPEC's texts into translations/SPEC/LANG.po for every catalog there (and
    each --language): translations kept, changed texts marked fuzzy."""
    from factsheet.translations import catalogs

    _catalog_step(lambda: catalogs.update(spec, languages, _warn, start_from))


@translations.command(name="status", epilog=EXIT_CODES)
@click.argument("spec", type=click.Path(path_type=Path, readable=False))
def translations_status(spec: Path) -> None:
    """Per language: how many of SPEC's texts its catalog translates, how many are
    fuzzy or untranslated, and how many it lacks (run `update`)."""
    from factsheet.report import shown
    from factsheet.security import escape_controls
    from factsheet.translations import catalogs

    try:
        report = catalogs.status(spec)
    except FactsheetError as exc:
        _report(exc)
        sys.exit(exc.exit_code)
    if not report:
        click.echo(
            f"no catalogs yet: make one with `factsheet translations update {spec} --language LANG`"
        )
    for language, path, counts in report:
        total = sum(counts.values())
        parts = [
            f"{counts['translated']}/{total} translated",
            f"{counts['fuzzy']} fuzzy",
            f"{counts['untranslated']} untranslated",
        ]
        if counts["missing"]:
            parts.append(f"{counts['missing']} not in the catalog (run `update`)")
        click.echo(escape_controls(f"{language:<11} {', '.join(parts)}  ({shown(path)})"))


def _warn(text: str) -> None:
    from factsheet.security import escape_controls

    click.echo(escape_controls(f"Warning: {text}"), err=True)


def _catalog_step(step: Any) -> None:
    from factsheet.report import shown
    from factsheet.security import escape_controls

    try:
        written = step()
    except FactsheetError as exc:
        _report(exc)
        sys.exit(exc.exit_code)
    for path in written:
        click.echo(escape_controls(f"wrote       {shown(path)}"))


@main.command()
def schema() -> None:
    """Print the JSON Schema of the spec format (for editor completion)."""
    from factsheet.spec.docs import json_schema
    from factsheet.spec.model import Spec

    click.echo(json.dumps(json_schema(Spec, by_alias=True), indent=2))


def _report(exc: FactsheetError) -> None:
    from factsheet.security import escape_controls

    problems = exc.errors if isinstance(exc, ErrorGroup) else [exc]
    for problem in problems:
        click.echo(escape_controls(f"Error: {problem}"), err=True)
    if len(problems) > 1:
        click.echo(f"{len(problems)} problems found.", err=True)


def _raise_first_failure(summary: object) -> None:
    """With --debug, a failed edition's error is raised again here for its traceback."""
    from factsheet.editions.batch import FAILED
    from factsheet.editions.run import Summary
    from factsheet.security import escape_controls

    assert isinstance(summary, Summary)
    for _, error in summary.spec_errors:
        raise error
    for outcome in summary.outcomes:
        if outcome.status == FAILED:
            raise click.ClickException(escape_controls(outcome.error))


# The review and preview commands register themselves on `main`.
from factsheet import cli_review  # noqa: E402, F401
