"""The `factsheet audit` command's work: open each file, audit it, print the grouped
report (or one JSON document) and choose the exit code. A missing file (66) or one that
is not a readable PDF (65) is a located error, not a traceback, and the other files are
still audited."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from factsheet.audit.findings import Finding
from factsheet.errors import FactsheetError, MissingInputError, SpecError
from factsheet.location import Location, display_path
from factsheet.security import escape_controls


def run_audit(files: list[Path], *, as_json: bool, strict: bool) -> int:
    """Audit every file; return the exit code (the worst of all files)."""
    from factsheet.audit.report import json_entry, summary, text_lines

    worst = 0
    entries: list[dict[str, Any]] = []
    for path in files:
        name = display_path(path)
        try:
            findings = _audit_file(path)
        except FactsheetError as exc:
            worst = max(worst, exc.exit_code)
            entries.append({"file": name, "passed": False, "error": str(exc), "findings": []})
            click.echo(escape_controls(f"Error: {exc}"), err=True)
            continue
        entry = json_entry(name, findings, strict)
        entries.append(entry)
        if not entry["passed"]:
            worst = max(worst, 1)
        if not as_json:
            _show(name, text_lines(findings), summary(name, findings, strict))
    if as_json:
        # ensure_ascii escapes every control character a PDF string may carry
        click.echo(json.dumps({"files": entries}, indent=2, ensure_ascii=True))
    return worst


def _show(name: str, lines: list[str], summary_line: str) -> None:
    if lines:
        click.echo(escape_controls(name))
        for line in lines:
            click.echo(escape_controls(line))
    click.echo(escape_controls(summary_line))


def _audit_file(path: Path) -> list[Finding]:
    import pikepdf

    from factsheet.audit import audit_pdf

    where = Location(file=path)
    if path.is_dir():
        raise MissingInputError("is a folder, not a PDF file", where)
    if not path.exists():
        raise MissingInputError("does not exist", where, hint="check the path")
    try:
        return audit_pdf(path)
    except pikepdf.PasswordError as exc:
        raise SpecError("is encrypted with a password, so it cannot be audited", where) from exc
    except (pikepdf.PdfError, OSError) as exc:
        raise SpecError(
            f"is not a readable PDF ({_first_line(exc)})",
            where,
            hint="audit takes PDF files",
        ) from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
