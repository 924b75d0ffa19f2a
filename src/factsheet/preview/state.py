"""What the preview page shows, as plain data (JSON for the page): every edition with
its keys, status, warnings, errors and the PDF behind its page images, from the last
build round and the specs' manifests. An edition that failed keeps the pages of its
last good build (its PDF is left untouched by a failed build), marked stale. Errors
are taken apart into file, line, column and message, with the lines of the file around
the spot, so the page can show them like a compiler does. Pure functions of their
arguments and of files inside the project."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from factsheet.editions.batch import FAILED, UP_TO_DATE

_LOCATED = re.compile(r"^(?P<file>[^:\n]+?):(?P<line>\d+)(?::(?P<col>\d+))?: (?P<rest>.*)$")
_HINT = re.compile(r"^(?P<message>.*?) \((?P<hint>[^()]*(?:\([^()]*\)[^()]*)*)\)$")
CONTEXT_LINES = 2
"""Lines of the file shown above and below the line an error points at."""


def parse_problem(text: str, roots: Sequence[Path], cwd: Path | None = None) -> dict[str, Any]:
    """One error or warning line as `{text, file, line, col, message, hint, context}`;
    `context` holds the lines around the spot (`[number, text, is_the_line]`) when the
    file is a text file inside one of `roots`."""
    problem: dict[str, Any] = {"text": text, "file": "", "line": 0, "col": 0}
    rest = text
    match = _LOCATED.match(text)
    if match is not None:
        problem.update(file=match["file"], line=int(match["line"]), col=int(match["col"] or 0))
        rest = match["rest"]
    hint = _HINT.match(rest)
    problem["message"] = hint["message"] if hint else rest
    problem["hint"] = hint["hint"] if hint else ""
    problem["context"] = []
    if problem["file"]:
        path = _inside((cwd or Path.cwd()) / problem["file"], roots)
        if path is not None:
            problem["context"] = context_lines(path, problem["line"])
    return problem


def context_lines(path: Path, line: int, around: int = CONTEXT_LINES) -> list[list[Any]]:
    """The lines `line - around` to `line + around` of a text file, numbered."""
    if path.suffix.lower() not in {".yaml", ".yml", ".csv", ".po", ".txt", ".md", ".json"}:
        return []
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    first = max(1, line - around)
    last = min(len(lines), line + around)
    return [[n, lines[n - 1], n == line] for n in range(first, last + 1)]


def _inside(path: Path, roots: Sequence[Path]) -> Path | None:
    resolved = path.resolve()
    for root in roots:
        if resolved.is_relative_to(root.resolve()) and resolved.is_file():
            return resolved
    return None


def edition_states(
    outcomes: Iterable[Any], manifests: Mapping[Path, Mapping[str, Any]], roots: Sequence[Path]
) -> list[dict[str, Any]]:
    """Every edition of the last round: the build's outcome with the manifest's record
    (keys, PDF hash, pages) of its last good build."""
    states = []
    for outcome in outcomes:
        job = outcome.job
        entry = manifests.get(job.spec_path.resolve(), {}).get(job.label, {})
        failed = outcome.status == FAILED
        warnings = list(outcome.warnings) or ([] if failed else list(entry.get("warnings", [])))
        status = "failed" if failed else ("warnings" if warnings else "built")
        pdf = str(entry.get("pdf_sha256", "")) if job.output.is_file() else ""
        states.append(
            {
                "spec": job.spec_path.name,
                "label": job.label,
                "keys": dict(entry.get("keys") or _keys(job.label)),
                "status": status,
                "fresh": outcome.status != UP_TO_DATE,
                "stale": failed,
                "pdf_sha256": pdf,
                "pages": int(entry.get("pages", 0)) if pdf else 0,
                "output": job.output.name,
                "warnings": [parse_problem(w, roots) for w in warnings],
                "errors": [parse_problem(e, roots) for e in outcome.error.splitlines() if e],
                "figures": dict(entry.get("figures") or {}) if pdf else {},
            }
        )
    return states


def _keys(label: str) -> dict[str, str]:
    pairs = (part.split("=", 1) for part in label.split(", ") if "=" in part)
    return {key: value for key, value in pairs}


def spec_errors(errors: Iterable[tuple[Path, Any]], roots: Sequence[Path]) -> list[dict[str, Any]]:
    """Problems that stopped a whole spec before its editions were known."""
    found = []
    for _, error in errors:
        problems = getattr(error, "errors", None) or [error]
        found += [parse_problem(str(p), roots) for p in problems]
    return found


def keep_last_good(
    now: list[dict[str, Any]], before: Sequence[Mapping[str, Any]], failed_specs: set[str]
) -> list[dict[str, Any]]:
    """When a spec cannot be expanded at all, its editions of the round before stay on
    the page, stale, rather than vanish."""
    shown = {(e["spec"], e["label"]) for e in now}
    kept = [
        {**e, "stale": True, "fresh": False}
        for e in before
        if e["spec"] in failed_specs and (e["spec"], e["label"]) not in shown
    ]
    return kept + now
