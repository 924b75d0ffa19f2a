"""Maps: which country a key names (codes, names, aliases, and the keys that are
problems), the shipped tables, class breaks, the view (home parts, regions, the 180th
meridian, the frame), what `check` reports, the alt text, and a regional map compared
with a golden image (see tests/test_visual.py for the tolerance and how to regenerate).

Real data: `fixtures/gapminder_countries.csv` holds the 142 country names and ISO codes
of the Gapminder table that plotly 7.1.0 ships (`plotly/package_data/datasets/
gapminder.csv.gz`; plotly is MIT-licensed, the Gapminder data CC BY 4.0, gapminder.org).
"""

from __future__ import annotations

import csv
import importlib.util
import math
from pathlib import Path

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from factsheet.build import check_plan, plan_edition, render
from factsheet.charts import countries, mapview
from factsheet.charts.classes import classify, unit_of
from factsheet.data.formats import format_number
from factsheet.editions.expand import load_editions
from factsheet.errors import FactsheetError, LayoutError
from factsheet.spec.model import Format

from .pictures import assert_matches_golden, rasterise
from .projects import make_project

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


# --- keys --------------------------------------------------------------------------


def codes(*keys: str) -> tuple[str | None, ...]:
    return countries.resolve(keys).codes


def test_codes_of_both_lengths_in_any_case() -> None:
    assert codes("NGA", "ng", "Nga", "XKX", "XK") == ("NGA", "NGA", "NGA", "XKX", "XKX")


def test_names_from_pycountry_natural_earth_and_aliases() -> None:
    assert codes(
        "Nigeria",
        "Viet Nam",  # pycountry
        "Vietnam",  # Natural Earth
        "Bolivia (Plurinational State of)",  # UN, as pycountry's name
        "Iran, Islamic Rep.",  # World Bank, an alias
        "Côte d’Ivoire",
        "COTE D'IVOIRE",
        "Türkiye",
        "Turkey",
        "Swaziland",
        "Eswatini",
        "Hong Kong, China",
        "Taiwan",
        "West Bank and Gaza",
        "Kosovo",
        "Congo, Dem. Rep.",
        "Congo, Rep.",
        "Korea, Rep.",
        "Korea, Dem. Rep.",
        "Yemen, Rep.",
        "Egypt, Arab Rep.",
        "Réunion",
        "Reunion",
        "Allemagne",  # Natural Earth's French name
    ) == (
        "NGA",
        "VNM",
        "VNM",
        "BOL",
        "IRN",
        "CIV",
        "CIV",
        "TUR",
        "TUR",
        "SWZ",
        "SWZ",
        "HKG",
        "TWN",
        "PSE",
        "XKX",
        "COD",
        "COG",
        "KOR",
        "PRK",
        "YEM",
        "EGY",
        "REU",
        "REU",
        "DEU",
    )


def test_normalise_ignores_case_accents_and_punctuation_only() -> None:
    assert countries.normalise("Côte d’Ivoire") == "cote divoire"
    assert countries.normalise("  Congo,  Dem. Rep. ") == "congo dem rep"
    assert countries.normalise("Trinidad & Tobago") == "trinidad and tobago"
    assert codes("Nigeri", "Niger ia") == (None, None)  # never a guess


def test_problem_keys_by_kind() -> None:
    found = countries.resolve(
        ["Untied States", "XXX", "World", "High income", "WLD", "Africa", "Micronesia",
         "Yugoslavia", "World", "", "NGA"]
    )  # fmt: skip
    assert found.codes[-1] == "NGA" and found.codes[:-1] == (None,) * 10
    kinds = {p.key: (p.kind, p.detail) for p in found.problems}
    assert kinds["Untied States"] == ("unknown", "United States (USA)")
    assert kinds["XXX"] == ("unknown", "")
    for aggregate in ("World", "High income", "WLD", "Africa"):
        assert kinds[aggregate][0] == "aggregate"
    assert kinds["Micronesia"][0] == "ambiguous"
    assert "FSM" in kinds["Micronesia"][1] and "region" in kinds["Micronesia"][1]
    assert kinds["Yugoslavia"][0] == "former"
    assert kinds[""][0] == "unknown"
    assert len(found.problems) == 9  # one per distinct key


def test_every_iso_country_has_a_row_with_a_point_and_regions() -> None:
    table = countries.countries()
    assert {c.alpha_3 for c in pycountry.countries} <= set(table)
    for country in table.values():
        lon, lat = country.point
        assert -180 <= lon <= 180 and -90 <= lat <= 90, country.iso3
        assert all(country.regions), country.iso3
        assert codes(country.iso3) == (country.iso3,)


def test_shape_flag_matches_the_shapes() -> None:
    drawn = set(mapview.homes())
    flagged = {c.iso3 for c in countries.countries().values() if c.shape}
    assert flagged == drawn
    assert {"SGP", "MLT", "BHR", "MUS", "REU"}.isdisjoint(drawn)


def test_aliases_name_known_countries_and_aggregates_no_country() -> None:
    table = countries.countries()
    for alias in countries.aliases():
        assert alias["iso3"] in table, alias
        assert codes(alias["name"]) == (alias["iso3"],), alias
    for aggregate in countries.aggregate_names():
        problems = countries.resolve([aggregate["name"]]).problems
        assert [p.kind for p in problems] == ["aggregate"], aggregate


def test_gapminder_names_match_its_codes() -> None:
    """Real data: every Gapminder name resolves to the code Gapminder gives it, but
    one: plotly's copy codes North Korea as KOR, the South's code."""
    with (FIXTURES / "gapminder_countries.csv").open() as file:
        rows = list(csv.DictReader(file))
    resolved = codes(*(r["country"] for r in rows))
    wrong = {r["country"]: c for r, c in zip(rows, resolved, strict=True) if c != r["iso_alpha"]}
    assert wrong == {"Korea, Dem. Rep.": "PRK"}
    assert codes(*(r["iso_alpha"] for r in rows)) == tuple(r["iso_alpha"] for r in rows)


# --- classes -----------------------------------------------------------------------


def labels(
    values: list[float], count: int = 5, method: object = "equal", **fmt: object
) -> tuple[str, ...]:
    spec = Format(**fmt)  # type: ignore[arg-type]
    return classify(values, count, method, spec, lambda v: format_number(v, spec)).labels  # type: ignore[arg-type]


def test_two_values_make_two_classes_named_by_value() -> None:
    assert labels([80.2, 81.4, 80.4]) == ("80", "81")
    assert labels([80.2, 80.4]) == ("80",)


def test_equal_classes_on_round_numbers_with_the_ends_included() -> None:
    assert labels([45.2, 54.8, 62.1, 70.3, 77.7, 81.9]) == (
        "45–49", "50–59", "60–69", "70–79", "80–82"
    )  # fmt: skip
    assert labels([4, 5, 6, 7, 8, 9, 10, 11, 12], 4) == ("4–5", "6–7", "8–9", "10–12")
    assert labels([0.12, 0.33, 0.55, 0.72, 0.9, 0.05], 3, style="percent", decimals=1) == (
        "5.0%–49.9%", "50.0%–90.0%"
    )  # fmt: skip


def test_quantile_and_explicit_breaks() -> None:
    assert labels([1, 2, 3, 4, 5, 6, 100], 3, "quantile") == ("1–2", "3–5", "6–100")
    assert labels([3, 12, 55, 120], 5, (10, 50, 100)) == ("< 10", "10–49", "50–99", "≥ 100")


def test_compact_numbers_are_labelled_by_their_edges() -> None:
    values = [7e5, 2.5e7, 4.7e7, 6.5e7, 8.5e7, 1.6e8, 2.3e8, 1.1e9, 1.3e9]
    found = labels(values, 7, style="compact", decimals=1)
    assert found[0] == "700.0K–200.0M" and found[-1] == "1.2B–1.3B"
    assert len(set(found)) == len(found)


@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=40),
    st.integers(2, 7),
    st.sampled_from(["equal", "quantile"]),
    st.integers(0, 2),
)
def test_classes_hold_every_value_with_distinct_labels(
    values: list[float], count: int, method: str, decimals: int
) -> None:
    spec = Format(decimals=decimals)
    found = classify(values, count, method, spec, lambda v: format_number(v, spec))
    assert 1 <= len(found) <= count
    assert len(set(found.labels)) == len(found.labels)
    assert all(
        "–" not in label or label.split("–")[0] != label.split("–")[1] for label in found.labels
    )
    indexes = {found.of(v) for v in values}
    assert min(indexes) == 0 and max(indexes) == len(found) - 1  # min and max included
    if method == "quantile" or len(found) <= 2:
        assert indexes == set(range(len(found)))  # no empty class
    assert unit_of(spec) == 10.0**-decimals


# --- view --------------------------------------------------------------------------


def test_far_flung_parts_do_not_count_as_home() -> None:
    homes = mapview.homes()
    assert homes["FRA"][0] > -6  # French Guiana (-54°) is left out
    assert homes["USA"][0] > -126 and homes["USA"][2] > 24  # no Alaska, no Hawaii
    assert homes["NOR"][3] < 72  # no Svalbard
    assert homes["MYS"][0] < 102 < 116 < homes["MYS"][1]  # both halves of Malaysia
    assert homes["RUS"][1] > 180  # Chukotka, across the 180th meridian


def test_region_views_stay_on_their_region() -> None:
    europe = mapview.fit(mapview.focus([], "Europe"), (300, 200))
    assert europe.west > -40 and europe.east < 70  # not Russia's Pacific coast
    assert europe.south > 25 and europe.north < 85
    africa = mapview.fit(mapview.focus([], "africa"), (300, 300))
    assert africa.west > -40 and africa.east < 80 and africa.south > -45
    oceania = mapview.fit(mapview.focus(["WSM", "AUS"], "Oceania"), (300, 200))
    assert oceania.west > 100 and oceania.east > 180  # across the 180th meridian


def test_a_view_fits_its_frame_and_is_centred_on_its_data() -> None:
    boxes = mapview.focus(["FRA", "DEU", "ITA"], None)
    view = mapview.fit(boxes, (300, 150))
    width = (view.east - view.west) * view.squeeze
    height = view.north - view.south
    assert math.isclose(width / height, view.size[0] / view.size[1], rel_tol=1e-6)
    assert view.size[0] <= 300 + 1e-6 and view.size[1] <= 150 + 1e-6
    west, east, south, north = (min(b[0] for b in boxes), max(b[1] for b in boxes),
                                min(b[2] for b in boxes), max(b[3] for b in boxes))  # fmt: skip
    assert math.isclose((view.west + view.east) / 2, (west + east) / 2)
    assert view.west < west and view.east > east and view.south < south and view.north > north


# --- in a spec ---------------------------------------------------------------------

SPEC = (
    "document: {{title: Maps, author: Test Org, pages: 1}}\ntheme: un-blue\n"
    "data: {{people: {{file: data/people.csv}}}}\npages:\n  - blocks:\n"
    "      - chart: {{type: map, source: people, x: country, y: value, title: Map, {extra}}}\n"
)


def project(tmp_path: Path, csv_text: str, extra: str = "height: 70mm") -> Path:
    make_project(tmp_path, {"people.csv": csv_text}, {"map.yaml": SPEC.format(extra=extra)})
    return tmp_path / "factsheets" / "map.yaml"


def check(spec: Path) -> list[str]:
    """`factsheet check`'s pass (no chart drawn): its warnings, or raises."""
    content = check_plan(plan_edition(load_editions(spec)[0]))
    return [str(w) for w in content.warnings]


def test_check_reports_every_kind_of_bad_key_with_lines(tmp_path: Path) -> None:
    spec = project(
        tmp_path,
        "country,value\nWorld,9\nNigeria,1\nNigerai,2\nMicronesia,3\nXXX,4\nHigh income,5\nXXX,6\n",
    )
    with pytest.raises(FactsheetError) as caught:
        check(spec)
    text = str(caught.value)
    assert (
        "2 keys that match no country: 'Nigerai' (line 4; did you mean Nigeria (NGA)?); "
        "'XXX' (lines 6, 8)" in text
    )
    assert "2 regional aggregates, not countries: 'World' (line 2); 'High income' (line 7)" in text
    assert "'Micronesia' (line 5)" in text and "Federated States of Micronesia (FSM)" in text
    assert text.count("pages[0].blocks[0].chart.x") == 3


def test_unknown_region_and_unprintable_breaks(tmp_path: Path) -> None:
    spec = project(tmp_path, "country,value\nNigeria,1\n", "region: Afrika, breaks: [10.5]")
    with pytest.raises(FactsheetError) as caught:
        check(spec)
    text = str(caught.value)
    assert "unknown map region 'Afrika'" in text and "did you mean 'Africa'?" in text
    assert "chart.region" in text and "chart.breaks" in text and "10.5" in text


def test_breaks_must_go_up(tmp_path: Path) -> None:
    spec = project(tmp_path, "country,value\nNigeria,1\n", "breaks: [10, 5]")
    with pytest.raises(FactsheetError, match="breaks must go up"):
        check(spec)


def test_a_region_warns_about_what_it_leaves_out(tmp_path: Path) -> None:
    spec = project(tmp_path, "country,value\nNigeria,1\nFrance,2\nMauritius,3\n", "region: Africa")
    warnings = check(spec)
    assert any("leaves out France (FRA)" in w for w in warnings), warnings
    assert any("too coarse to draw Mauritius (MUS)" in w for w in warnings), warnings
    with pytest.raises(FactsheetError, match="none of the map's countries is in its region"):
        check(project(tmp_path / "b", "country,value\nFrance,2\n", "region: Africa"))


def test_a_map_across_the_180th_meridian_draws_both_sides(tmp_path: Path) -> None:
    spec = project(tmp_path, "country,value\nSamoa,4\nAustralia,9\nFiji,3\nUSA,5\nRussia,2\n")
    page = rasterise(render(spec).pdf)[0]
    assert page.getbbox() is not None


def test_alt_text_names_countries_and_values(tmp_path: Path) -> None:
    spec = project(tmp_path, "country,value\nNGA,12\nCôte d'Ivoire,7\n")
    rendered = render(spec)
    alts = [
        getattr(f, "alt_text", "") for p in rendered.content.pages for i in p for f in i.flowables
    ]
    assert "Map (Nigeria: 12; Côte d'Ivoire: 7)" in alts


def test_a_legend_too_tall_for_its_chart_is_an_error(tmp_path: Path) -> None:
    values = "".join(
        f"{c},{n * 1111.1}\n"
        for n, c in enumerate(["NGA", "KEN", "GHA", "ETH", "EGY", "ZAF", "MAR"])
    )
    spec = project(
        tmp_path, "country,value\n" + values, "height: 20mm, classes: 7, format: {decimals: 1}"
    )
    with pytest.raises(LayoutError, match="legend"):
        render(spec)
    with pytest.raises(LayoutError, match="legend"):  # `check`, which draws no chart
        check(spec)


def test_check_sees_the_legend_labels_a_map_prints(tmp_path: Path) -> None:
    """The glyph check reads what a map prints (its legend), not its ISO codes."""
    spec = project(tmp_path, "country,value\nNigeria,1\nKenya,5\nGhana,9\n", "breaks: [4, 8]")
    content = check_plan(plan_edition(load_editions(spec)[0]))
    (item,) = [i for page in content.pages for i in page if i.kind == "chart"]
    runs = [t for f in item.flowables for c in f.content for _, t in getattr(c, "text_runs", ())]
    assert runs == ["< 4", "4–7", "≥ 8"]


WORLD = "country,value\nBrazil,3\nChina,5\nNigeria,7\nAustralia,4\nCanada,6\nIndia,2\n"


def test_a_map_frame_much_taller_than_its_map_is_a_warning_giving_the_height(
    tmp_path: Path,
) -> None:
    """A world map is twice as wide as tall: raising the chart's height ("make the chart
    taller") only added blank space under its legend."""
    spec = project(tmp_path, WORLD, "region: World, height: 100mm")
    (warning,) = [w for w in check(spec) if "map and its legend" in w]
    assert "pages[0].blocks[0].chart" in warning and "% of the chart's plot" in warning
    fits = int(warning.split("`height: ")[1].split("mm`")[0])
    assert 40 < fits < 80, warning
    assert "`span: page`" in warning  # a column-wide map could also be made wider
    # At the height it gives, the map and its legend fill the plot: no warning.
    spec.write_text(SPEC.format(extra=f"region: World, height: {fits}mm"))
    assert not [w for w in check(spec) if "map and its legend" in w]


def test_the_legend_starts_under_the_map_not_at_the_frame(tmp_path: Path) -> None:
    """A map narrower than its frame is centred in it; its legend stayed at the frame's
    left edge, far from the map."""
    import numpy as np

    extra = "region: Africa, height: 110mm, classes: 4, span: page"
    image = rasterise(render(project(tmp_path, AFRICA, extra)).pdf)[0]
    page = np.asarray(image.convert("L")) < 245  # ink
    rows = np.flatnonzero(page.any(axis=1))
    bands = np.split(rows, np.flatnonzero(np.diff(rows) > 2) + 1)
    above_footer = [b for b in bands if b[0] < 0.9 * image.height]
    title, legend = above_footer[0], above_footer[-1]
    map_rows = page[above_footer[1][0] : legend[0]]

    def left(ink: np.ndarray) -> int:
        return int(np.flatnonzero(ink.any(axis=0))[0])

    frame = left(page[title[0] : title[-1] + 1])  # the title starts at the frame's edge
    drawn, key = left(map_rows), left(page[legend[0] : legend[-1] + 1])
    assert drawn - frame > 40  # the map is centred, well inside the frame
    assert abs(key - drawn) <= 1, (frame, drawn, key)


def test_small_countries_dot_silences_the_warning_and_keeps_the_dots(tmp_path: Path) -> None:
    """A world map of World Bank data always warned about its dotted countries, so
    `check --strict` could never pass: `small_countries: dot` acknowledges them."""
    data = "country,value\nSingapore,5\nMalaysia,3\nBahrain,4\n"
    warned = project(tmp_path / "a", data)
    assert any("too coarse to draw Singapore (SGP)" in w for w in check(warned))
    assert any("small_countries: dot" in w for w in check(warned))
    quiet = project(tmp_path / "b", data, "height: 70mm, small_countries: dot")
    assert not [w for w in check(quiet) if "coarse" in w]
    # The dots are still drawn: the same picture either way.
    pages = [rasterise(render(spec).pdf)[0] for spec in (warned, quiet)]
    assert pages[0].tobytes() == pages[1].tobytes()


# --- a regional map, pixel for pixel -----------------------------------------------

AFRICA = """country,value
Nigeria,12
Kenya,8
"Congo, Dem. Rep.",10
Côte d'Ivoire,4
South Africa,6
Egypt,7
Morocco,5
Ethiopia,9
Mauritius,11
Cabo Verde,3
Rwanda,8
"""


def test_africa_map_matches_golden(tmp_path: Path) -> None:
    spec = project(tmp_path, AFRICA, "region: Africa, height: 110mm, classes: 4")
    rendered = render(spec)
    assert [str(w) for w in rendered.content.warnings if "coarse" in str(w)]
    assert_matches_golden(rasterise(rendered.pdf)[0], "map-africa")


def test_docs_list_every_alias_aggregate_and_region() -> None:
    spec = importlib.util.spec_from_file_location(
        "gen_map_docs", ROOT / "scripts" / "gen_map_docs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = (ROOT / "docs" / "maps.md").read_text()
    assert module.render(committed) == committed, (
        "docs/maps.md is stale: run scripts/gen_map_docs.py"
    )
    for alias in countries.aliases():
        assert f"| {alias['name']} |" in committed
