"""The second demo, factsheets/gapminder.yaml, on real public data nobody here shaped
(Gapminder, as shipped in plotly): every figure its editions print is checked against
an independent pandas calculation on the same file, and the editions build with no
warning. A spec, not a script, does the work: sums and population-weighted means per
continent, medians, the country holding a maximum, differences between figures."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pypdfium2
import pytest

from factsheet.build import Rendered, render_edition
from factsheet.editions.expand import load_editions

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("gapminder")
    for folder in ("assets", "data", "factsheets", "translations"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


def edition(project: Path, continent: str) -> Rendered:
    (chosen,) = [
        e
        for e in load_editions(project / "factsheets" / "gapminder.yaml")
        if e.keys["continent"] == continent
    ]
    return render_edition(chosen)


def text_of(rendered: Rendered) -> str:
    document = pypdfium2.PdfDocument(rendered.pdf)
    text = " ".join(page.get_textpage().get_text_range() for page in document)
    return " ".join(text.replace("\r", " ").replace("\n", " ").split())


def expected(continent: str) -> dict[str, str]:
    """What the edition must print, worked out with pandas from the data file."""
    data = pd.read_csv(ROOT / "data" / "gapminder.csv")
    rows = data if continent == "World" else data[data["continent"] == continent]
    now, then = rows[rows["year"] == 2007], rows[rows["year"] == 1952]
    world = data[data["year"] == 2007]
    life = np.average(now["lifeExp"], weights=now["pop"])
    world_life = np.average(world["lifeExp"], weights=world["pop"])
    richest = now.loc[now["gdpPercap"].idxmax()]
    return {
        "people in 2007": f"{int(now['pop'].sum()):,}",
        "people in 1952": f"{int(then['pop'].sum()):,}",
        "life": f"{life:.1f} years",
        "gap": f"{life - world_life:+.1f}".replace("-", "\u2212"),
        "median": f"{now['lifeExp'].median():.1f} years",
        "richest": f"GDP per head in {richest['country']}",
        "richest value": f"US${richest['gdpPercap']:,.0f}",
        "most populous": str(now.loc[now["pop"].idxmax()]["country"]),
        "countries": f"{now['country'].nunique()} countries",
    }


@pytest.mark.parametrize("continent", ["Africa", "Oceania", "World"])
def test_every_headline_figure_matches_pandas(project: Path, continent: str) -> None:
    rendered = edition(project, continent)
    text = text_of(rendered)
    wanted = expected(continent)
    if continent == "World":  # the world edition compares continents, not itself
        del wanted["gap"]
    missing = {name: value for name, value in wanted.items() if value not in text}
    assert missing == {}
    # Its first page is nearly full (the fit check's warning, see docs/fit.md); nothing else.
    others = [str(w) for w in rendered.content.warnings if " to spare " not in str(w)]
    assert others == []


def test_the_africa_edition_prints_the_known_answers(project: Path) -> None:
    """The same figures, written out: a check on the pandas side too."""
    text = text_of(edition(project, "Africa"))
    for printed in ("929,539,692", "54.6 years", "\u221214.4", "52.9 years", "Gabon", "Nigeria"):
        assert printed in text
