"""How `factsheet audit` shows its findings: grouped by problem (a rule, then each
distinct message with the pages it occurs on and a count), a one-line summary per file,
and the same groups as JSON for CI. Messages quote the PDF, which is hostile input:
every line is escaped for the terminal by the caller (`security.escape_controls`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from factsheet.audit.findings import RULES, Finding


@dataclass(frozen=True)
class Group:
    """One problem: the findings of one rule with the same message."""

    rule: str
    severity: str
    category: str
    message: str
    pages: tuple[int, ...]
    count: int
    hint: str


def groups(findings: list[Finding]) -> list[Group]:
    """Findings merged by (rule, severity, message), in rule order, then first page."""
    merged: dict[tuple[str, str, str], list[Finding]] = {}
    for item in findings:
        merged.setdefault((item.rule, item.severity, item.message), []).append(item)
    order = {rule: index for index, rule in enumerate(RULES)}
    result = [
        Group(
            rule,
            severity,
            items[0].category,
            message,
            tuple(sorted({f.page for f in items if f.page is not None})),
            len(items),
            items[0].hint,
        )
        for (rule, severity, message), items in merged.items()
    ]
    return sorted(result, key=lambda g: (order.get(g.rule, 99), g.pages[:1], g.message))


def failed(findings: list[Finding], strict: bool) -> list[Finding]:
    """The findings that fail the file: its errors, and with --strict its warnings."""
    return [f for f in findings if strict or f.severity == "error"]


def where(pages: tuple[int, ...]) -> str:
    if not pages:
        return "the document"
    return f"page{'s' if len(pages) > 1 else ''} {', '.join(str(p) for p in pages)}"


def text_lines(findings: list[Finding]) -> list[str]:
    """The readable report of one file's findings (its name is printed by the caller)."""
    lines: list[str] = []
    by_rule: dict[str, list[Group]] = {}
    for group in groups(findings):
        by_rule.setdefault(group.rule, []).append(group)
    for rule, items in by_rule.items():
        title = RULES[rule].title
        severities = sorted({g.severity for g in items})
        lines.append(f"  {rule} ({'/'.join(severities)}, {items[0].category}): {title}")
        lines.append(f"    hint: {items[0].hint}")
        for group in items:
            times = f"; {group.count} times" if group.count > 1 else ""
            label = "warning: " if group.severity == "warning" and len(severities) > 1 else ""
            lines.append(f"    - {label}{group.message} [{where(group.pages)}{times}]")
    return lines


def summary(name: str, findings: list[Finding], strict: bool) -> str:
    """`2021.pdf: passed` or `2021.pdf: 3 problems (2 rules)`, with warnings counted."""
    failing = failed(findings, strict)
    warnings = [f for f in findings if f.severity == "warning" and not strict]
    tail = f", {len(warnings)} warning{'s' if len(warnings) != 1 else ''}" if warnings else ""
    if not failing:
        return f"{name}: passed{tail}"
    rules = len({f.rule for f in failing})
    problems = f"{len(failing)} problem{'s' if len(failing) != 1 else ''}"
    return f"{name}: {problems} ({rules} rule{'s' if rules != 1 else ''}){tail}"


def json_entry(name: str, findings: list[Finding], strict: bool) -> dict[str, Any]:
    """One file of the --json document."""
    return {
        "file": name,
        "passed": not failed(findings, strict),
        "findings": [
            {
                "rule": g.rule,
                "severity": g.severity,
                "category": g.category,
                "message": g.message,
                "pages": list(g.pages),
                "count": g.count,
                "hint": g.hint,
            }
            for g in groups(findings)
        ],
    }
