"""Maps that printed a plausible wrong PDF with exit 0 (issue 9, section 1), each now a
located error or a correct map: country names in `x` drew an empty map; an unknown code
was dropped without a word; a country too small for the 1:110m shapes (Singapore)
vanished without a word; and (found by the Gapminder trial, failing on c6eca33) a code
column that gives two countries one code, which the old hint said to average."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from factsheet.build import render
from factsheet.errors import FactsheetError

from .pictures import rasterise
from .projects import make_project

PRIMARY = (0x00, 0x33, 0xA0)  # un-blue's primary: the darkest class of a map


def _spec(x: str, extra: str = "") -> str:
    return (
        "document: {title: Maps, author: Test Org, pages: 1}\ntheme: un-blue\n"
        "data: {people: {file: data/people.csv}}\npages:\n  - blocks:\n"
        f"      - chart: {{type: map, source: people, x: {x}, y: value, title: Map,"
        f" height: 70mm{extra}}}\n"
    )


def _project(tmp_path: Path, csv: str, x: str, extra: str = "") -> Path:
    make_project(tmp_path, {"people.csv": csv}, {"map.yaml": _spec(x, extra)})
    return tmp_path / "factsheets" / "map.yaml"


def _pixels_near(image: Image.Image, colour: tuple[int, int, int], tolerance: int = 24) -> int:
    pixels = np.asarray(image.convert("RGB"), dtype=np.int16)
    return int((np.abs(pixels - np.array(colour)).max(axis=2) <= tolerance).sum())


def test_country_names_shade_their_countries(tmp_path: Path) -> None:
    """`x` holding names, not codes, drew every country grey: the only dark blue on
    the page was the legend's swatch."""
    spec = _project(tmp_path, "country,value\nBrazil,20\nNigeria,10\nAustralia,20\n", "country")
    page = rasterise(render(spec).pdf)[0]
    swatch = 12  # the legend's darkest swatch is about this many pixels at 60 dpi
    assert _pixels_near(page, PRIMARY) > 20 * swatch  # Brazil and Australia, shaded


def test_unknown_code_is_an_error_naming_it_with_its_line(tmp_path: Path) -> None:
    spec = _project(tmp_path, "iso3,value\nNGA,12\nXXX,5\nBRA,3\nXXX,4\n", "iso3")
    with pytest.raises(FactsheetError) as caught:
        render(spec)
    text = str(caught.value)
    assert "'XXX' (lines 3, 5)" in text
    assert "matches no country" in text
    assert "pages[0].blocks[0].chart.x" in text
    assert "factsheets/map.yaml:6:" in text  # the spec line of the chart


def test_tiny_country_is_a_warning_and_a_dot(tmp_path: Path) -> None:
    """Singapore is not in the 1:110m shapes: it vanished, with 0 warnings."""
    spec = _project(tmp_path, "iso3,value\nSGP,5\nMYS,3\n", "iso3")
    rendered = render(spec)
    warnings = [str(w) for w in rendered.content.warnings]
    assert any("Singapore (SGP)" in w and "dot" in w for w in warnings), warnings
    # The dot is drawn: with two values there are two classes, Singapore's the darker.
    page = rasterise(render(spec).pdf)[0]
    swatch = 12
    assert _pixels_near(page, PRIMARY) > swatch + 4  # the legend swatch and the dot


def test_two_spellings_of_one_country_are_duplicate_rows(tmp_path: Path) -> None:
    """ "Congo, Dem. Rep." and "COD" name one country: matched to codes before rows are
    pivoted, they are two rows for one map key (never summed, never one picked)."""
    csv = 'country,value\nCOD,1\nGhana,2\n"Congo, Dem. Rep.",3\n'
    spec = _project(tmp_path, csv, "country")
    with pytest.raises(FactsheetError) as caught:
        render(spec)
    assert "has 2 rows for country 'COD' in data/people.csv (lines 2, 4)" in str(caught.value)
    (tmp_path / "factsheets" / "map.yaml").write_text(_spec("country", ", aggregate: first"))
    rendered = render(tmp_path / "factsheets" / "map.yaml")
    (box,) = [p.flowable for p in rendered.layout.pages[0].placements if p.kind == "chart"]
    assert box.alt_text == "Map (Democratic Republic of the Congo: 1; Ghana: 2)"


# plotly's copy of Gapminder codes North Korea as KOR, South Korea's code.
KOREAS = """\
country,iso_alpha,value
Japan,JPN,82.6
"Korea, Dem. Rep.",KOR,67.3
"Korea, Rep.",KOR,78.6
"""


def test_two_countries_under_one_code_are_named_as_such(tmp_path: Path) -> None:
    """The duplicate-rows error suggested `aggregate: mean`, which printed South Korea
    at 73 years instead of 78.6: the rows are two countries, not two rows of one."""
    spec = _project(tmp_path, KOREAS, "iso_alpha")
    with pytest.raises(FactsheetError) as caught:
        render(spec)
    text = str(caught.value)
    assert "2 different countries share the map code 'KOR'" in text
    assert "'Korea, Dem. Rep.' (line 3) and 'Korea, Rep.' (line 4)" in text
    assert "`x: country`" in text
    assert "aggregate: mean" not in text


def test_an_aggregate_does_not_make_one_country_of_two(tmp_path: Path) -> None:
    """Following the old advice (`aggregate: mean`) drew a map with exit 0."""
    spec = _project(tmp_path, KOREAS, "iso_alpha", ", aggregate: mean")
    with pytest.raises(FactsheetError) as caught:
        render(spec)
    assert "2 different countries share the map code 'KOR'" in str(caught.value)
    # Charting the names instead maps both.
    (tmp_path / "factsheets" / "map.yaml").write_text(_spec("country"))
    rendered = render(tmp_path / "factsheets" / "map.yaml")
    (box,) = [p.flowable for p in rendered.layout.pages[0].placements if p.kind == "chart"]
    assert "Korea, Dem. Rep.: 67" in box.alt_text and "Korea, Rep.: 79" in box.alt_text
