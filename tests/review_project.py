"""A small project for the review commands' tests: four one-page editions, one per
region, each printing two figures (in a sentence and as a callout) and a chart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.projects import invoke_in, make_project

DATA = """\
region,people,share
North,1111,0.11
South,2222,0.22
East,3333,0.33
West,4444,0.44
"""

SPEC = """\
document:
  title: "Report for {{ region }}"
  author: Test Org
  year: 2024
  pages: 1
theme: un-blue
data:
  regions: {file: data/regions.csv}
figures:
  people: {source: regions, where: {region: "{{ region }}"}, column: people}
  share: {source: regions, where: {region: "{{ region }}"}, column: share,
          format: {style: percent}}
pages:
  - blocks:
      - heading: "People in {{ region }}"
      - paragraph: {id: intro, text: "{{ region }} counts {{ people }} people ({{ share }})."}
      - chart: {type: bar, source: regions, x: region, y: people, id: chart,
                where: {region: "{{ region }}"}, title: "Chart {{ region }}", height: 40mm}
editions:
  matrix:
    region: {source: regions, column: region}
  output: "output/{region}.pdf"
"""

SPEC_PATH = "factsheets/report.yaml"


def review_project(root: Path, data: str = DATA) -> Path:
    return make_project(root, {"regions.csv": data}, {"report.yaml": SPEC})


def run(project: Path, *args: str) -> Any:
    """`factsheet ARGS` in `project` (a click Result)."""
    return invoke_in(project, *args)


def set_people(project: Path, region: str, people: int) -> None:
    """Change one value of the data file: `region`'s people."""
    path = project / "data" / "regions.csv"
    lines = [
        f"{region},{people},{line.split(',')[2]}" if line.startswith(f"{region},") else line
        for line in path.read_text().splitlines()
    ]
    path.write_text("\n".join(lines) + "\n")
