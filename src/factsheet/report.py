"""What a build tells its user while it runs and when it ends. On a terminal, a rich
progress bar shows the editions running, done and failed, then a summary table; in CI
and other non-terminal output, one plain line per edition and a plain summary. Errors
and warnings print at the end, sorted, each once, as `Error: file:line:col: key.path:
message` on standard error, followed by the editions they concern (`[all 5 editions]`),
so that a spec line that fails every edition is one line, not one per edition."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from factsheet.editions.batch import BUILT, CHECKED, FAILED, UP_TO_DATE, Outcome
from factsheet.editions.run import Summary, describe_spec_error
from factsheet.location import display_path
from factsheet.security import escape_controls


def shown(path: Path) -> str:
    return display_path(path)


def outcome_line(outcome: Outcome) -> str:
    job = outcome.job
    where = f"{shown(job.output)}"
    keys = f"{job.label}; " if "=" in job.label else ""
    if outcome.status == BUILT:
        pages = f"{outcome.pages} page" + ("" if outcome.pages == 1 else "s")
        detail = f"{keys}{pages}, {outcome.size / 1024:.0f} KiB, {outcome.seconds:.2f} s"
        return f"built       {where}  ({detail})"
    if outcome.status == UP_TO_DATE:
        return f"up to date  {where}" + (f"  ({job.label})" if keys else "")
    if outcome.status == CHECKED:
        return f"ok          {where}" + (f"  ({job.label})" if keys else "")
    return f"failed      {where}" + (f"  ({job.label})" if keys else "")


def summary_counts(summary: Summary) -> tuple[int, list[tuple[str, int]]]:
    """The editions handled and how each ended, in the same terms for the plain line and
    the table: `built`/`up to date`/`failed`, or for a check `passed`/`failed`. The
    parts add up to the total (a spec that fails before its editions are known counts
    as one)."""
    failed = summary.count(FAILED) + len(summary.spec_errors)
    if summary.check_only:
        parts = [("passed", summary.count(CHECKED)), ("failed", failed)]
    else:
        parts = [
            ("built", summary.count(BUILT)),
            ("up to date", summary.count(UP_TO_DATE)),
            ("failed", failed),
        ]
    return sum(n for _, n in parts), parts


def summary_line(summary: Summary) -> str:
    """`6 editions checked: 5 passed, 1 failed, 0 warnings in 1.2 s`, or for a build
    `4 editions: 3 built, 0 up to date, 1 failed, 2 warnings in 3.4 s`."""
    total, parts = summary_counts(summary)
    warned = sum(len(o.warnings) for o in summary.outcomes)
    head = f"{total:,} edition{'s' if total != 1 else ''}"
    head += " checked:" if summary.check_only else ":"
    counts = [f"{n:,} {what}" for what, n in parts]
    counts.append(f"{warned} warning{'s' if warned != 1 else ''}")
    return f"{head} {', '.join(counts)} in {summary.seconds:.1f} s"


_LOCATION = re.compile(r"^(?P<file>[^:\n]+?)(?::(?P<line>\d+))?(?::(?P<col>\d+))?: ")


def grouped_problems(summary: Summary) -> list[str]:
    """Every error and warning once, sorted by file, line and column, each naming the
    editions it occurs in: `[edition region=Africa]`, `[editions …; …]`, or `[all 5
    editions]` when every edition of its spec has it."""
    seen: dict[tuple[str, str], list[Outcome]] = {}
    for outcome in summary.outcomes:
        lines = [("Error", text) for text in outcome.error.splitlines() if text.strip()]
        lines += [("Warning", text) for text in outcome.warnings]
        for kind, text in dict.fromkeys(lines):
            seen.setdefault((kind, text), []).append(outcome)
    per_spec: dict[Path, int] = {}
    for outcome in summary.outcomes:
        per_spec[outcome.job.spec_path] = per_spec.get(outcome.job.spec_path, 0) + 1

    def order(item: tuple[tuple[str, str], list[Outcome]]) -> tuple[str, int, int, str]:
        match = _LOCATION.match(item[0][1])
        if match is None:
            return ("", 0, 0, item[0][1])
        return (match["file"], int(match["line"] or 0), int(match["col"] or 0), item[0][1])

    report = []
    for (kind, text), outcomes in sorted(seen.items(), key=order):
        report.append(f"{kind}: {text}{_editions(outcomes, per_spec)}")
    return report


def _editions(outcomes: list[Outcome], per_spec: dict[Path, int]) -> str:
    """`  [edition region=Africa]`, `  [editions a; b]`, `  [all 5 editions]`,
    `  [3 of 10,000 editions: a; b; c]`, or nothing for a spec without editions. At
    most `LISTED` editions are named, so a line stays a line however many there are."""
    labels = [o.job.label for o in outcomes]
    if not any("=" in label for label in labels):
        return ""
    total = sum(per_spec[spec] for spec in {o.job.spec_path for o in outcomes})
    if len(labels) == total and total > 1:
        return f"  [all {total:,} editions]"
    if len(labels) == 1:
        return f"  [edition {labels[0]}]"
    named = "; ".join(labels[:LISTED]) + ("; …" if len(labels) > LISTED else "")
    if len(labels) <= LISTED:
        return f"  [editions {named}]"
    return f"  [{len(labels):,} of {total:,} editions: {named}]"


LISTED = 5


class _Escaped:
    """A stream that shows control characters as visible escapes: every line printed
    goes through here, so nothing read from a spec or data can drive the terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(escape_controls(text))

    def flush(self) -> None:
        self.stream.flush()


class PlainReporter:
    """One line per edition as it finishes; for logs, CI and pipes. Problems are
    printed together at the end, sorted, each once with the editions it concerns."""

    def __init__(self, out: TextIO, err: TextIO) -> None:
        self.out, self.err = _Escaped(out), _Escaped(err)

    def __enter__(self) -> PlainReporter:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def progress(self, outcome: Outcome, running: Sequence[str]) -> None:
        print(outcome_line(outcome), file=self.out, flush=True)

    def finish(self, summary: Summary) -> None:
        grouped = grouped_problems(summary)
        for line in grouped:
            print(line, file=self.err)
        for _, error in summary.spec_errors:
            for line in describe_spec_error(error).splitlines():
                print(f"Error: {line}", file=self.err)
        if summary.bundle is not None:
            print(f"bundled     {shown(summary.bundle)}{_bundle_note(summary)}", file=self.out)
        problems = sum(1 for line in grouped if line.startswith("Error"))
        problems += sum(len(describe_spec_error(e).splitlines()) for _, e in summary.spec_errors)
        if problems > 1:
            print(f"{problems} problems found.", file=self.err)
        print(summary_line(summary), file=self.out)


def _values(label: str) -> str:
    """`region=Africa, language=fr` → `Africa/fr`: short enough for a progress line."""
    return "/".join(part.split("=", 1)[-1] for part in label.split(", "))


class RichReporter:
    """A live progress bar with the editions running, then a summary table."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.console = Console(stderr=False)
        self.errors = Console(stderr=True)
        self.bar = Progress(
            TextColumn("[bold]Building"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("[red]{task.fields[failed]} failed"),
            TextColumn("{task.fields[running]}"),
            console=self.console,
            transient=True,
        )
        self.task = self.bar.add_task("build", total=total, failed=0, running="")
        self.failed = 0

    def __enter__(self) -> RichReporter:
        self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def progress(self, outcome: Outcome, running: Sequence[str]) -> None:
        if outcome.status == FAILED:
            self.failed += 1
        line = escape_controls(outcome_line(outcome))
        self.bar.console.print(line, markup=False, highlight=False)
        label = escape_controls(", ".join(_values(r) for r in running))
        label = (
            f"running: {label[:38]}…" if len(label) > 38 else (f"running: {label}" if label else "")
        )
        self.bar.update(self.task, advance=1, failed=self.failed, running=label)

    def finish(self, summary: Summary) -> None:
        from rich.table import Table

        for line in grouped_problems(summary):
            style = "red" if line.startswith("Error") else "yellow"
            self.errors.print(escape_controls(line), style=style, markup=False, highlight=False)
        for _, error in summary.spec_errors:
            for line in describe_spec_error(error).splitlines():
                text = escape_controls(f"Error: {line}")
                self.errors.print(text, style="red", markup=False, highlight=False)
        table = Table(title="factsheet check" if summary.check_only else "factsheet build")
        total, parts = summary_counts(summary)
        warned = sum(len(o.warnings) for o in summary.outcomes)
        cells = [("editions", f"{total:,}")]
        cells += [
            (what, f"[red]{n:,}" if what == "failed" and n else f"{n:,}") for what, n in parts
        ]
        cells += [
            ("warnings", f"[yellow]{warned}" if warned else "0"),
            ("time", f"{summary.seconds:.1f} s"),
        ]
        for column, _ in cells:
            table.add_column(column, justify="right")
        table.add_row(*(cell for _, cell in cells))
        if summary.bundle is not None:
            bundled = escape_controls(f"bundled     {shown(summary.bundle)}{_bundle_note(summary)}")
            self.console.print(bundled, markup=False)
        self.console.print(table)


def make_reporter(total: int, check_only: bool = False, interactive: bool | None = None) -> Any:
    """Rich on a terminal, plain lines elsewhere (CI, pipes, files); the same for a
    build and a check (`check_only`)."""
    if interactive is None:
        interactive = sys.stdout.isatty()
    if interactive:
        return RichReporter(total)
    return PlainReporter(sys.stdout, sys.stderr)


def _bundle_note(summary: Summary) -> str:
    return escape_controls(f"  ({summary.bundle_note})") if summary.bundle_note else ""
