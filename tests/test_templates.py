"""Which spec fields are templates (the table in factsheet.spec.templates), and what each
kind does: text templates reach the PDF rendered, value templates are filled in before
the block is built, fixed fields refuse `{{ … }}` with a located error. Also variables
and their precedence, output paths, the sandbox's filters, and problems that depend on
another problem being reported once, at their cause."""

from __future__ import annotations

import os
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pydantic import BaseModel

from factsheet.build import render_edition
from factsheet.cli import main
from factsheet.editions.expand import load_editions
from factsheet.errors import FactsheetError, TemplateError
from factsheet.spec.docs import model_classes
from factsheet.spec.model import Spec
from factsheet.spec.templates import FIELDS, NO_TEXT, is_template, rules
from factsheet.text import FILTERS, Templates
from tests.projects import make_project

# --- the table ------------------------------------------------------------------------


def holds_text(annotation: Any) -> bool:
    """Whether a value of this type can be (or contain) text, keys of mappings included."""
    if annotation is str or annotation is Any:
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return False  # its own fields are checked as a model of their own
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return False
    if origin in (typing.Annotated,):
        return holds_text(typing.get_args(annotation)[0])
    return any(holds_text(a) for a in typing.get_args(annotation)) or (
        origin
        in (
            typing.Union,
            types.UnionType,
        )
        and str in typing.get_args(annotation)
    )


def test_every_field_that_can_hold_text_has_a_rule() -> None:
    missing = [
        f"{model.__name__}.{name}"
        for model in model_classes(Spec)
        for name, info in model.model_fields.items()
        if holds_text(info.annotation) and name not in rules(model)
    ]
    assert missing == [], (
        "add these fields to FIELDS in src/factsheet/spec/templates.py: text, value or fixed"
    )
    assert all(not rules(model) for model in NO_TEXT)


def test_the_table_names_only_real_fields() -> None:
    for model, fields in FIELDS.items():
        assert set(fields) <= set(model.model_fields), model.__name__


def test_value_fields_carry_no_checks_a_copy_would_skip() -> None:
    """Value templates are rendered into a `model_copy`, which does not validate: a value
    field must not rely on a pattern or bound that the rendered value would bypass."""
    for model in model_classes(Spec):
        for name, rule in rules(model).items():
            if rule.kind == "value" and rule.when == "block":
                assert not model.model_fields[name].metadata, f"{model.__name__}.{name}"


def test_is_template() -> None:
    assert is_template("{{ x }}") and is_template("a {% if x %}b{% endif %}")
    assert is_template("{# note #}")
    assert not is_template("{x}") and not is_template("plain") and not is_template("{ {")


# --- every text and value field reaches the PDF rendered --------------------------------

SWEEP_DATA = {
    "regions.csv": "region,value,year\nAfrica,3,2020\nAsia,5,2020\nEurope,4,2020\n",
    "countries.csv": "country,value\nNigeria,3\nKenya,5\nGhana,4\n",
}

# Each field holds a template that prints its own token (t01, t02, …); value fields
# that select something (highlight, at, image paths) hold templates for real values.
SWEEP = """\
document:
  title: "{{ t01 }}"
  subtitle: "{{ t02 }}"
  author: "{{ t03 }}"
  subject: "{{ t04 }}"
  keywords: ["{{ t05 }}"]
  pages: 3
theme: un-blue
data:
  regions: {file: data/regions.csv}
  countries: {file: data/countries.csv}
figures:
  total: {source: regions, column: value, aggregate: sum}
  delta: {source: regions, column: value, aggregate: min}
variables:
  photo: assets/photos/evening-glow.jpg
  logo: assets/logos/emblem-blue.svg
  region: Asia
  map_region: Africa
  t01: Qa01
  t02: Qa02
  t03: Qa03
  t04: Qa04
  t05: Qa05
  t06: Qa06
  t07: Qa07
  t08: Qa08
  t09: Qa09
  t10: Qa10
  t11: Qa11
  t12: Qa12
  t13: Qa13
  t14: Qa14
  t15: Qa15
  t16: Qa16
  t17: Qa17
  t18: Qa18
  t19: Qa19
  t20: Qa20
  t21: Qa21
  t22: Qa22
  t23: Qa23
  t24: Qa24
  t25: Qa25
  t26: Qa26
  t27: Qa27
  t28: Qa28
  t29: Qa29
  t30: Qa30
  t31: Qa31
  t32: Qa32
  t33: Qa33
  t34: Qa34
  t35: Qa35
  t36: Qa36
  t37: Qa37
  t38: Qa38
  t39: Qa39
pages:
  - template: cover
    blocks:
      - hero:
          image: "{{ photo }}"
          caption: "{{ t06 }}"
          credit: "{{ t07 }}"
          alt: "{{ t08 }}"
          height: 60mm
      - title_band: {title: "{{ t09 }}", subtitle: "{{ subtitle }} {{ t10 }}", kicker: "{{ t11 }}"}
      - heading: "{{ t12 }}"
      - paragraph: "{{ t13 }}"
      - quote: {text: "{{ t14 }}", attribution: "{{ t15 }}", context: "{{ t16 }}"}
      - callout: {text: "{{ t17 }}", number: "{{ t18 }}", label: "{{ t19 }}"}
  - blocks:
      - chart:
          type: bar
          source: regions
          x: region
          y: value
          title: "{{ t20 }}"
          subtitle: "{{ t21 }}"
          x_label: "{{ t22 }}"
          note: "{{ t24 }}"
          alt: "{{ t25 }}"
          highlight: "{{ region }}"
          format: {prefix: "{{ t26 }}", suffix: "{{ t27 }}"}
          annotations: [{at: "{{ region }}", text: "{{ t28 }}"}]
          height: 70mm
      - chart: {type: line, source: regions, x: region, y: value, y_label: "{{ t23 }}", alt: x}
      - table:
          source: regions
          columns: [{column: region, header: "{{ t29 }}"}, value]
          total: "{{ t30 }}"
          title: "{{ t31 }}"
          note: "{{ t32 }}"
          highlight: {region: "{{ region }}"}
  - blocks:
      - key_figures:
          tiles: [{number: "{{ t33 }}", label: "{{ t34 }}", delta: delta, since: "{{ t35 }}"}]
      - image: {file: "{{ logo }}", caption: "{{ t36 }}", alt: "{{ t37 }}", width: 20mm}
      - contact: {intro: "{{ t38 }}", name: "{{ t39 }}", unit: "{{ total }} {{ delta }}"}
      - chart: {type: map, source: countries, x: country, y: value, region: "{{ map_region }}"}
"""

NOT_PRINTED = {
    ("Chart", "highlight"),
    ("Chart", "region"),
    ("Annotation", "at"),
    ("Hero", "image"),
    ("Image", "file"),
}


def covered_fields(spec: BaseModel) -> set[tuple[str, str]]:
    """(model, field) of every text and value field the spec fills with a template."""
    found: set[tuple[str, str]] = set()

    def visit(value: Any) -> None:
        if isinstance(value, BaseModel):
            for name, rule in rules(type(value)).items():
                text = getattr(value, name)
                texts = text if isinstance(text, tuple) else (text,)
                if rule.kind in ("text", "value") and any(
                    isinstance(t, str) and is_template(t) for t in texts
                ):
                    found.add((type(value).__name__, name))
            for name in type(value).model_fields:
                visit(getattr(value, name))
        elif isinstance(value, tuple | list):
            for item in value:
                visit(item)
        elif isinstance(value, dict):
            for item in value.values():
                visit(item)

    visit(spec)
    return found


def pdf_text(pdf: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    text = "\n".join(page.get_textpage().get_text_range() for page in document)
    return text + "\n" + "\n".join(str(v) for v in document.get_metadata_dict().values())


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    root = make_project(tmp_path, SWEEP_DATA)
    old = Path.cwd()
    os.chdir(root)
    yield root
    os.chdir(old)


def test_every_text_and_value_field_is_rendered(project: Path) -> None:
    spec = project / "factsheets" / "sweep.yaml"
    spec.write_text(SWEEP)
    rendered = render_edition(load_editions(spec)[0])
    wanted = {
        (model.__name__, name)
        for model in model_classes(Spec)
        if model.__name__ not in ("Spec", "FigureSpec", "Editions", "Override", "FromData")
        for name, rule in rules(model).items()
        if rule.kind == "text" or (rule.kind == "value" and rule.when == "block")
    }
    assert wanted - covered_fields(rendered.loaded.spec) == set(), "extend SWEEP to cover them"
    alts = " ".join(
        str(getattr(f, "alt_text", ""))
        for page in rendered.content.pages
        for item in page
        for f in item.flowables
    )
    printed = pdf_text(rendered.pdf) + alts
    missing = [f"Qa{n:02}" for n in range(1, 40) if f"Qa{n:02}".lower() not in printed.lower()]
    assert missing == []
    assert "{{" not in printed and "{%" not in printed
    assert "12 3" in printed  # figures inside the contact's unit: total 12, minimum 3


def test_fixed_fields_refuse_templates(project: Path) -> None:
    spec = project / "factsheets" / "f.yaml"
    spec.write_text(
        SWEEP.replace("x: region", 'x: "{{ t01 }}"', 1)
        .replace("source: regions\n          columns", 'source: "{{ t01 }}"\n          columns')
        .replace("highlight: {region:", 'highlight: {"{{ t01 }}":')
        .replace("delta: delta", 'delta: "{{ t01 }}"')
    )
    result = CliRunner().invoke(main, ["check", "factsheets/f.yaml"])
    assert result.exit_code == 65
    lines = result.stderr.splitlines()
    assert lines[:4] == [
        "Error: factsheets/f.yaml:77:14: pages[1].blocks[0].chart.x: `x` is not a template: "
        "column names are fixed (to change it per edition, use `editions.overrides`)",
        "Error: factsheets/f.yaml:90:19: pages[1].blocks[2].table.source: `source` is not a "
        "template: it names a data source (to change it per edition, use `editions.overrides`)",
        "Error: factsheets/f.yaml:95:23: pages[1].blocks[2].table.highlight.{{ t01 }}: the key "
        "'{{ t01 }}' is not a template: column names are fixed (to change it per edition, use "
        "`editions.overrides`)",
        "Error: factsheets/f.yaml:98:68: pages[2].blocks[0].key_figures.tiles[0].delta: `delta` "
        "is not a template: it names a figure (to change it per edition, use "
        "`editions.overrides`)",
    ]
    assert lines[-1] == "4 problems found."


# --- variables ------------------------------------------------------------------------

VARIABLES = """\
document: {title: "{{ place }}", author: A, year: 2021}
theme: un-blue
variables:
  place: the Americas
  where: "in {{ place }}, {{ year }}"
pages:
  - blocks:
      - paragraph: "{{ where | capfirst }}"
"""


def test_top_level_variables_work_without_editions(project: Path) -> None:
    spec = project / "factsheets" / "v.yaml"
    spec.write_text(VARIABLES)
    (edition,) = load_editions(spec)
    assert edition.variables == {"place": "the Americas", "where": "in the Americas, 2021"}
    text = pdf_text(render_edition(edition).pdf)
    assert "In the Americas, 2021" in text


def test_edition_variables_and_overrides_take_precedence(project: Path) -> None:
    spec = project / "factsheets" / "v.yaml"
    spec.write_text(
        VARIABLES + "editions:\n"
        "  matrix: {region: [Americas, Africa, Asia]}\n"
        '  output: "output/{{ year }}/{{ region }}.pdf"\n'
        '  variables: {place: "{{ region }}"}\n'
        "  overrides:\n"
        "    - when: {region: Americas}\n"
        "      variables: {place: the Americas}\n"
        "    - when: {region: Asia}\n"
        "      output: output/asia-edition.pdf\n"
    )
    editions = load_editions(spec)
    assert [e.variables["where"] for e in editions] == [
        "in the Americas, 2021",  # the override's
        "in Africa, 2021",  # the editions' own, from the key
        "in Asia, 2021",
    ]
    assert [e.output.relative_to(project).as_posix() for e in editions] == [
        "output/2021/americas.pdf",  # every inserted value a slug
        "output/2021/africa.pdf",
        "output/asia-edition.pdf",
    ]


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ("{total: x}", "variable 'total' has the name of a figure"),
        ("{title: x}", "variable 'title' has the name of a value every template has"),
        ('{a: "{{ nope }}"}', "unknown name 'nope' in template"),
        ('{"bad-name": x}', "variable name 'bad-name' must be letters, digits and underscores"),
    ],
)
def test_bad_variables_are_located(project: Path, variables: str, message: str) -> None:
    spec = project / "factsheets" / "v.yaml"
    spec.write_text(
        "document: {title: T, author: A}\ntheme: un-blue\n"
        f"variables: {variables}\n"
        "data:\n  regions: {file: data/regions.csv}\n"
        "figures:\n  total: {source: regions, column: value, aggregate: sum}\n"
        'pages:\n  - blocks:\n      - paragraph: "{{ total }}"\n'
    )
    result = CliRunner().invoke(main, ["check", "factsheets/v.yaml"])
    assert result.exit_code == 65, result.output
    assert "factsheets/v.yaml:3:" in result.stderr and message in result.stderr


def test_a_text_using_a_failed_variable_is_not_reported_again(project: Path) -> None:
    spec = project / "factsheets" / "v.yaml"
    spec.write_text(VARIABLES.replace("place: the Americas", 'place: "{{ contnent }}"'))
    result = CliRunner().invoke(main, ["check", "factsheets/v.yaml"])
    assert result.exit_code == 65
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        "Error: factsheets/v.yaml:4:10: variables.place: unknown name 'contnent' in template"
    ]


# --- filters --------------------------------------------------------------------------


def test_capfirst_keeps_the_rest_as_written() -> None:
    templates = Templates({"place": "the Americas", "empty": ""})
    assert templates.render("{{ place | capfirst }}") == "The Americas"
    assert templates.render("{{ place | capitalize }}") == "The americas"
    assert templates.render("{{ empty | capfirst }}") == ""
    assert templates.render_value("{{ 'Asia and the Pacific' | slug }}") == "asia-and-the-pacific"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ place | random }}", "unknown filter 'random'"),
        ("{{ place | capitalise }}", "unknown filter 'capitalise' (did you mean 'capfirst'?)"),
        ("{{ place | uppr }}", "unknown filter 'uppr' (did you mean 'upper'?)"),
        ("{{ lipsum() }}", "unknown name 'lipsum'"),
        ("{{ plcae | upper }}", "unknown name 'plcae' in template (did you mean 'place'?)"),
        ("{{ (plcae ~ 'x') | trim }}", "unknown name 'plcae' in template (did you mean 'place'?)"),
    ],
)
def test_only_allowed_filters_and_names(template: str, message: str) -> None:
    with pytest.raises(TemplateError) as info:
        Templates({"place": "Asia"}).render(template)
    assert message in str(info.value)


def test_every_listed_filter_works() -> None:
    templates = Templates({"items": ["b", "a", "b"], "text": " the Americas ", "n": -2.25})
    for name in FILTERS:
        source = (
            "items"
            if name in ("join", "sort", "unique", "min", "max", "first", "last")
            else ("n" if name in ("abs", "round", "int", "float", "sum") else "text")
        )
        if name == "sum":
            source = "[1, 2]"
        argument = {"replace": "('the', 'a')", "truncate": "(9)", "default": "('x')"}
        rendered = templates.render_value(f"{{{{ {source} | {name}{argument.get(name, '')} }}}}")
        assert isinstance(rendered, str), name


def test_all_unknown_names_of_a_text_are_reported() -> None:
    with pytest.raises(FactsheetError) as info:
        Templates({"place": "Asia"}).render("{{ plce }} and {{ yaer }}")
    assert "unknown name 'plce'" in str(info.value) and "unknown name 'yaer'" in str(info.value)


# --- file paths ------------------------------------------------------------------------

PHOTOS = """\
document: {title: T, author: A}
theme: un-blue
pages:
  - template: cover
    blocks:
      - hero: {image: "assets/photos/{{ region | slug }}.jpg", alt: A photo., height: 60mm}
      - paragraph: Text.
editions:
  matrix: {region: [Africa, Asia]}
  output: "output/{region}.pdf"
"""


def test_a_photo_per_edition_is_confined_and_part_of_the_inputs(project: Path) -> None:
    from PIL import Image

    photos = project / "assets" / "photos"
    for region in ("africa", "asia"):
        (photos / f"{region}.jpg").write_bytes((photos / "evening-glow.jpg").read_bytes())
    (project / "factsheets" / "p.yaml").write_text(PHOTOS)
    build = ["build", "--edition", "region=Africa", "factsheets/p.yaml"]
    assert CliRunner().invoke(main, build).exit_code == 0
    assert CliRunner().invoke(main, build).stdout.startswith("up to date")
    with Image.open(photos / "africa.jpg") as image:  # another photo, same name
        image.resize((image.width // 2, image.height // 2)).save(photos / "africa.jpg")
    assert CliRunner().invoke(main, build).stdout.startswith("built")
    # A rendered path still stays inside the project.
    escape = PHOTOS.replace('"assets/photos/{{ region | slug }}.jpg"', '"{{ up }}/x.jpg"')
    escape = escape.replace("theme: un-blue\n", "theme: un-blue\nvariables: {up: ..}\n")
    (project / "factsheets" / "p.yaml").write_text(escape)
    result = CliRunner().invoke(main, build)
    assert result.exit_code == 65
    assert "pages[0].blocks[0].hero: path '../x.jpg' must not contain '..'" in result.stderr


def test_a_missing_theme_does_not_hide_template_problems(project: Path) -> None:
    (project / "factsheets" / "t.yaml").write_text(
        "document: {title: T, author: A}\ntheme: un-blu\n"
        'pages:\n  - blocks:\n      - paragraph: "{{ nope }}"\n'
    )
    result = CliRunner().invoke(main, ["check", "factsheets/t.yaml"])
    assert "theme 'un-blu' not found" in result.stderr
    where = "factsheets/t.yaml:5:20: pages[0].blocks[0].paragraph.text: unknown name"
    assert where in result.stderr
