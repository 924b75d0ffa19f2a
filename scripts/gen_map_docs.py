"""Regenerate the tables of docs/maps.md (aliases, regional aggregates, region names)
from the tables the package ships, between the `<!-- generated: NAME -->` and
`<!-- end: NAME -->` markers; the prose around them is written by hand.

    .venv/bin/python scripts/gen_map_docs.py

tests/test_maps.py fails when the committed page is out of date.
"""

from __future__ import annotations

import re
from pathlib import Path

from factsheet.charts import countries

DOC = Path(__file__).resolve().parents[1] / "docs" / "maps.md"


def sections() -> dict[str, str]:
    aliases = ["| name in the data | country | used by |", "|---|---|---|"]
    table = countries.countries()
    for alias in sorted(countries.aliases(), key=lambda a: countries.normalise(a["name"])):
        code = alias["iso3"]
        aliases.append(f"| {alias['name']} | {table[code].name} ({code}) | {alias['used_by']} |")
    aggregates = ["| name in the data | used by |", "|---|---|"]
    for aggregate in countries.aggregate_names():
        aggregates.append(f"| {aggregate['name']} | {aggregate['used_by']} |")
    regions = ", ".join(f"`{r}`" for r in countries.regions())
    return {"aliases": "\n".join(aliases), "aggregates": "\n".join(aggregates), "regions": regions}


def render(text: str) -> str:
    for name, body in sections().items():
        pattern = re.compile(rf"(<!-- generated: {name} -->\n).*?(\n<!-- end: {name} -->)", re.S)
        if not pattern.search(text):
            raise SystemExit(f"docs/maps.md has no '{name}' markers")
        text = pattern.sub(lambda m, body=body: m.group(1) + body + m.group(2), text)
    return text


def main() -> None:
    DOC.write_text(render(DOC.read_text()))


if __name__ == "__main__":
    main()
