"""`factsheet fit`: how full every block's frame is in every edition, the tightest
edition flagged, an overflow measured rather than only found; `check`'s warning for a
page above 95% full; and the room a translator has per key path."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from factsheet.build import render
from factsheet.errors import LayoutError
from factsheet.fit import PageRoom, page_room
from factsheet.fit_report import measure_spec, room_for, rooms
from factsheet.layout.flow import layout_page
from factsheet.layout.pages import page_frame
from tests.projects import invoke_in, make_project

WORDS = "Migration shapes development and development shapes migration. "
# Words of body text per edition: English fits easily, French nearly fills the page,
# Spanish runs over it.
LENGTHS = {"en": 40, "fr": 82, "es": 95}


def spec(
    lengths: dict[str, int] = LENGTHS, chart_title: str = "Arrivals", chart_height: str = "60mm"
) -> str:
    overrides = "".join(
        f"""
    - when: {{lang: {lang}}}
      document: {{language: {lang}}}
      blocks:
        body: {{text: "{WORDS * words}"}}"""
        for lang, words in lengths.items()
    )
    return f"""\
document: {{title: Fit, author: Test Org, pages: 1}}
theme: un-blue
data:
  arrivals: {{file: data/arrivals.csv}}
pages:
  - columns: 1
    blocks:
      - heading: Fitting text
      - chart: {{id: trend, type: bar, source: arrivals, x: year, y: people,
                 height: {chart_height}, title: "{chart_title}"}}
      - paragraph: {{id: body, text: "short"}}
editions:
  matrix:
    lang: [{", ".join(lengths)}]
  output: "output/{{lang}}.pdf"
  overrides:{overrides}
"""


DATA = "year,people\n2019,10\n2020,12\n2021,15\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "p", {"arrivals.csv": DATA}, {"fit.yaml": spec()})


def run(project: Path, *args: str) -> tuple[int, str, str]:
    result = invoke_in(project, *args)
    return result.exit_code, result.stdout, result.stderr


def fit_json(project: Path, *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code, out, _ = run(project, "fit", "factsheets/fit.yaml", "--json", *args)
    return code, json.loads(out)


def block(edition: dict, path: str) -> dict:  # type: ignore[type-arg]
    return next(b for b in edition["blocks"] if b["key_path"] == path)


def test_fill_per_edition_and_block_the_tightest_flagged(project: Path) -> None:
    code, doc = fit_json(project)
    assert code == 1  # Spanish overflows
    editions = {e["label"]: e for e in doc["specs"][0]["editions"]}
    en, fr, es = editions["lang=en"], editions["lang=fr"], editions["lang=es"]
    assert (en["language"], fr["language"], es["language"]) == ("en", "fr", "es")
    body = [block(e, "pages[0].blocks[2]") for e in (en, fr, es)]
    assert body[0]["fill"] < body[1]["fill"] < 1 < body[2]["fill"]
    assert body[0]["spare_chars"] > body[1]["spare_chars"] > 0 > body[2]["spare_chars"]
    assert body[1]["lines"] > body[0]["lines"]
    assert en["fits"] and fr["fits"] and not es["fits"] and not doc["fits"]
    tightest = {t["key_path"]: t for t in doc["specs"][0]["tightest"]}
    assert tightest["pages[0].blocks[2]"]["edition"] == "lang=es"
    # The chart's title is measured against the room its fixed height leaves it.
    chart = block(en, "pages[0].blocks[1]")
    assert chart["frame"] == "box" and 0 < chart["fill"] < 0.5


def test_an_overflow_is_measured_as_the_build_measures_it(project: Path) -> None:
    with pytest.raises(LayoutError) as caught:
        render_edition_es(project)
    built = float(re.search(r"overflows page 1 by (\d+)pt", str(caught.value)).group(1))  # type: ignore[union-attr]
    es = measure_spec(project / "factsheets" / "fit.yaml", {"lang": ["es"]})[0]
    assert es.error is None and es.overflows
    over = -es.pages[0].room.spare
    assert over == pytest.approx(built, abs=1.5)
    body = next(b for b in es.blocks if b.key_path == "pages[0].blocks[2]")
    assert body.spilled and body.spare_lines is not None
    assert -body.spare_lines == -(-over // body.text.leading)  # type: ignore[union-attr]


def render_edition_es(project: Path) -> None:
    from factsheet.build import render_edition
    from factsheet.editions.expand import load_editions

    editions = load_editions(project / "factsheets" / "fit.yaml")
    render_edition(next(e for e in editions if e.keys["lang"] == "es"))


def test_exit_0_when_every_edition_fits(project: Path) -> None:
    code, doc = fit_json(project, "--edition", "lang=en", "--edition", "lang=fr")
    assert code == 0 and doc["fits"]
    assert [e["label"] for e in doc["specs"][0]["editions"]] == ["lang=en", "lang=fr"]


def test_table_shows_fill_overflow_and_tightest(project: Path) -> None:
    code, out, _ = run(project, "fit", "factsheets/fit.yaml")
    assert code == 1
    row = next(line for line in out.splitlines() if "pages[0].blocks[2]" in line)
    assert re.search(r"\d+%.*\d+% \*?.*\+\d+\.\d mm / \d+ lines", row), row
    assert "lang=es: cut" in row
    assert re.search(r"lang=es: page 1 \(pages\[0\]\) overflows by \d+pt \(\d+\.\d mm\)", out)


def test_check_warns_above_95_percent_and_strict_fails(project: Path) -> None:
    code, out, err = run(project, "check", "factsheets/fit.yaml", "--edition", "lang=fr")
    assert code == 0
    assert re.search(
        r"fit\.yaml:\d+:\d+: pages\[0\]\.blocks\[0\]: the blocks from pages\[0\]\.blocks\[0\] "
        r"\(heading\) to pages\[0\]\.blocks\[2\] \(paragraph\) fill page 1 \(pages\[0\]\) to "
        r"9[5-9]%: \d+pt \(\d+\.\d mm\), \d+ lines? or about \d+ characters of the "
        r"paragraph's text to spare",
        out + err,
    ), out + err
    code, _, _ = run(project, "check", "factsheets/fit.yaml", "--edition", "lang=en")
    assert code == 0
    strict = ("check", "factsheets/fit.yaml", "--edition", "lang=fr", "--strict")
    code, out, err = run(project, *strict)
    assert code == 65 and re.search(r"Error: .*fill page 1 \(pages\[0\]\) to 9[5-9]%", out + err)


def test_a_nearly_full_chart_title_is_a_warning(project: Path) -> None:
    # Two lines of title and the plot's 40pt in 26 mm (74pt): 98% of the text's room.
    title = "A very long chart title that runs on " * 11
    (project / "factsheets" / "fit.yaml").write_text(spec({"en": 10}, title, "26mm"))
    rendered = render(project / "factsheets" / "fit.yaml")
    texts = [str(w) for w in rendered.content.warnings]
    assert any("chart pages[0].blocks[1]'s title and notes fill" in t for t in texts), texts


def test_room_per_translatable_key_path(project: Path) -> None:
    found = rooms(project / "factsheets" / "fit.yaml", {"lang": ["en", "fr"]})
    fr = measure_spec(project / "factsheets" / "fit.yaml", {"lang": ["fr"]})[0]
    body = next(b for b in fr.blocks if b.key_path == "pages[0].blocks[2]")
    path = ("pages", 0, "blocks", 2, "paragraph", "text")
    assert room_for(found, path) == body.spare_chars > 0
    assert room_for(found, "pages[0].blocks[2].paragraph.text") == body.spare_chars
    assert room_for(found, "pages[0].blocks[1].chart.title") is not None
    assert room_for(found, "pages[0].blocks[1].chart.series[0].label") is None
    assert room_for(found, "document.title") is None
    assert room_for(rooms(project / "factsheets" / "fit.yaml", language="fr"), path) == (
        body.spare_chars
    )
    with_es = rooms(project / "factsheets" / "fit.yaml")
    assert room_for(with_es, path) is not None and room_for(with_es, path) < 0  # type: ignore[operator]


def test_spill_layout_measures_instead_of_raising(project: Path) -> None:
    from factsheet.build import plan_edition
    from factsheet.content import build_content
    from factsheet.editions.expand import load_editions

    edition = next(
        e for e in load_editions(project / "factsheets" / "fit.yaml") if e.keys["lang"] == "es"
    )
    plan = plan_edition(edition)
    content = build_content(plan.loaded, plan.theme, plan.data, draw=False)
    frame = page_frame(plan.theme, "A4", 1)
    with pytest.raises(LayoutError):
        layout_page(content.pages[0], frame, "default", 1)
    (page,) = layout_page(content.pages[0], frame, "default", 1, spill=True)
    assert {p.region for p in page.placements} >= {"column 1", "column 2"}
    room = page_room(plan.loaded, page, frame, 0)
    assert room.overflow > 0 and room.room.spare == -room.overflow


def test_a_block_has_the_room_of_its_column_and_the_later_ones() -> None:
    """Text added to a block fills the foot of its column, then of the next ones, up to
    a column break; a page that overflows leaves every block the overflow."""
    room = PageRoom(1000.0, gaps=(100.0, 20.0, 0.0), breaks=(False, False, False))
    assert (room.after(1).spare, room.after(2).spare, room.after(3).spare) == (120, 20, 0)
    assert room.room.spare == 120 and room.room.fill == pytest.approx(0.88)
    # A column break makes each run of columns a frame of its own.
    broken = PageRoom(900.0, gaps=(100.0, 20.0, 10.0), breaks=(True, False, False))
    assert [broken.after(n).spare for n in (1, 2, 3)] == [100, 30, 10]
    assert [broken.after(n).capacity for n in (1, 2, 3)] == [300, 600, 600]
    over = PageRoom(1000.0, (), (), overflow=50.0)
    assert over.after(1).spare == over.room.spare == -50 and over.room.fill == 1.05


def test_missing_and_invalid_specs(project: Path) -> None:
    code, _, err = run(project, "fit", "factsheets/none.yaml")
    assert code == 66 and "does not exist" in err
    (project / "factsheets" / "bad.yaml").write_text("document: {title: 1, pagez: 2}\npages: []\n")
    code, _, err = run(project, "fit", "factsheets/bad.yaml")
    assert code == 65 and "Error:" in err


def test_a_column_break_makes_each_run_of_columns_its_own_frame(tmp_path: Path) -> None:
    body = f"""\
document: {{title: Fit, author: Test Org, pages: 1}}
theme: un-blue
pages:
  - columns: 2
    blocks:
      - paragraph: "{WORDS * 10}"
      - column_break: {{}}
      - paragraph: "{WORDS * 40}"
"""
    project = make_project(tmp_path / "p", specs={"cols.yaml": body})
    (fit,) = measure_spec(project / "factsheets" / "cols.yaml")
    short, long = fit.blocks
    column = fit.pages[0].room.capacity / 2
    assert short.room.capacity == long.room.capacity == pytest.approx(column)
    assert short.room.spare > long.room.spare > 0  # each only its own column's foot
    assert short.room.spare + long.room.spare == pytest.approx(fit.pages[0].room.spare)


def test_the_demo_hero_caption_is_measured_in_its_band() -> None:
    root = Path(__file__).resolve().parents[1]
    (fit,) = measure_spec(
        root / "factsheets" / "2021.yaml", {"region": ["Global"], "language": ["en"]}
    )
    hero = next(b for b in fit.blocks if b.kind == "hero")
    assert hero.frame == "box" and 0 < hero.room.fill < 0.5
    assert hero.room.capacity == pytest.approx(hero.height / 2)  # at most half the photo
    assert not fit.overflows and fit.pages_needed == fit.budget == 2
    # A block's room is part of its page's: its fill is never below the page's.
    page_one = fit.pages[0].room.fill
    flowing = [b for b in fit.blocks if b.page == 1 and b.frame == "page"]
    assert flowing and all(b.room.fill >= page_one - 1e-9 for b in flowing)


def test_more_pages_than_the_budget_is_an_overflow(tmp_path: Path) -> None:
    body = f"""\
document: {{title: Fit, author: Test Org, pages: 1}}
theme: un-blue
pages:
  - blocks:
      - paragraph: "{WORDS * 30}"
      - page_break: {{}}
      - paragraph: "{WORDS * 30}"
"""
    project = make_project(tmp_path / "p", specs={"two.yaml": body})
    code, out, _ = run(project, "fit", "factsheets/two.yaml")
    assert code == 1
    assert "two: needs 2 pages but `document.pages` is 1" in out
    (fit,) = measure_spec(project / "factsheets" / "two.yaml")
    assert fit.overflows and all(p.room.spare > 0 for p in fit.pages)
