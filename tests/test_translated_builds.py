"""Builds read the catalogs (issue 12): a `language` matrix key sets an edition's
language, an edition in another language than the spec's is built from its catalog
(texts, variables, overrides and data values shown), and what cannot be used is
reported like a compiler would: untranslated and fuzzy texts as warnings at their spec
line naming the PO line (errors with --strict), lost placeholders and broken Markdown as
errors at the PO line, a missing or unreadable catalog as a located error."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from babel.messages.pofile import read_po, write_po

from tests.projects import invoke_in, make_project

SPEC = """\
document: {title: Moves, subtitle: Where people go, author: Test Org, year: 2024, pages: 1}
theme: un-blue
data:
  moves: {file: data/moves.csv}
figures:
  total: {source: moves, column: share, aggregate: sum}
variables:
  place: the world
pages:
  - blocks:
      - heading: "Moves in {{ place }}"
      - paragraph: {id: intro, text: "Most moves stay **close to home**: {{ total }} in all."}
      - chart:
          type: hbar
          source: moves
          x: measure
          y: share
          title: Shares of all moves
          highlight: Displaced people
          height: 40mm
      - table: {source: moves, columns: [measure, share]}
editions:
  matrix:
    language: [en, fr]
  output: "output/{language}.pdf"
  variables:
    closing: "{{ place }}"
"""

DATA = {"moves.csv": "measure,share\nDisplaced people,40\nMigrant workers,60\n"}

FRENCH = {
    "Moves": "Déplacements",
    "Where people go": "Où vont les gens",
    "Test Org": "Org de test",
    "Moves in {{ place }}": "Déplacements dans {{ place }}",
    "Most moves stay **close to home**: {{ total }} in all.": (
        "La plupart restent **près de chez soi** : {{ total }} en tout."
    ),
    "Shares of all moves": "Parts de tous les déplacements",
    "the world": "le monde",
    "Displaced people": "Personnes déplacées",
    "Migrant workers": "Travailleurs migrants",
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "p", DATA, {"moves.yaml": SPEC})


def run(project: Path, *args: str) -> tuple[int, str, str]:
    result = invoke_in(project, *args)
    return result.exit_code, result.stdout, result.stderr


def translate(project: Path, strings: dict[str, str], fuzzy: tuple[str, ...] = ()) -> Path:
    """Make the French catalog and translate `strings` in it."""
    code, out, err = run(
        project, "translations", "update", "factsheets/moves.yaml", "--language", "fr"
    )
    assert code == 0, out + err
    path = project / "translations" / "moves" / "fr.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id in strings:
            message.string = strings[message.id]
            if message.id in fuzzy:
                message.flags.add("fuzzy")
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=88, sort_output=False)
    path.write_bytes(buffer.getvalue())
    return path


def pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(path)
    return " ".join(page.extract_text() for page in reader.pages)


def line_of(path: Path, text: str) -> int:
    """The line of the translation (`msgstr`) of the PO entry whose msgid starts with
    `text`: where a translator types it."""
    lines = path.read_text().splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith(f'msgid "{text}'))
    return 1 + next(n for n in range(start, len(lines)) if lines[n].startswith("msgstr"))


def test_the_language_key_builds_each_edition_from_its_catalog(project: Path) -> None:
    translate(project, FRENCH)
    code, out, err = run(project, "build", "factsheets/moves.yaml")
    assert code == 0, out + err
    assert "matches no" not in err  # `highlight: Displaced people` still finds its bar
    french = pypdf.PdfReader(project / "output" / "fr.pdf")
    assert french.trailer["/Root"]["/Lang"] == "fr"
    text = pdf_text(project / "output" / "fr.pdf")
    assert "Déplacements dans le monde" in text
    assert "près de chez soi" in text and "100 en tout" in text
    assert "Personnes déplacées" in text  # a table cell (and the chart's label)
    assert "Displaced people" not in text and "Migrant workers" not in text
    english = pdf_text(project / "output" / "en.pdf")
    assert "Moves in the world" in english and "Displaced people" in english
    assert pypdf.PdfReader(project / "output" / "en.pdf").trailer["/Root"]["/Lang"] == "en"


def test_a_highlight_finds_its_mark_after_translation(project: Path) -> None:
    from factsheet.build import render_edition
    from factsheet.editions.expand import load_editions

    translate(project, FRENCH)
    french = load_editions(project / "factsheets" / "moves.yaml")[1]
    assert french.keys == {"language": "fr"}
    rendered = render_edition(french)
    assert not [w for w in rendered.content.warnings if "matches no" in str(w)]
    chart = rendered.loaded.spec.pages[0].blocks[2].chart
    assert chart is not None and chart.highlight == "Displaced people"  # the spec's value
    alt = next(
        f.alt_text for f in rendered.content.pages[0][2].flowables if getattr(f, "alt_text", "")
    )
    assert "Personnes déplacées" in alt and "Displaced people" not in alt  # shown in French


def test_untranslated_and_fuzzy_texts_are_warnings_and_strict_errors(project: Path) -> None:
    strings = {k: v for k, v in FRENCH.items() if k != "Shares of all moves"}
    po = translate(project, strings, fuzzy=("Where people go",))
    code, out, err = run(project, "check", "factsheets/moves.yaml")
    assert code == 0, out + err
    untranslated = line_of(po, "Shares of all moves")
    assert (
        "Warning: factsheets/moves.yaml:18:18: pages[0].blocks[2].chart.title: 'Shares of "
        "all moves' (`pages[0].blocks[2].chart.title`) has no translation in "
        f"translations/moves/fr.po:{untranslated}: it is shown in the source language" in err
    )
    fuzzy = line_of(po, "Where people go")
    assert (
        f"'Where people go' (`document.subtitle`) has a fuzzy translation in "
        f"translations/moves/fr.po:{fuzzy}" in err
    )
    assert err.count("source language") == 2  # the English edition has nothing to translate
    code, out, err = run(project, "build", "--strict", "factsheets/moves.yaml")
    assert code == 65
    assert "Error: factsheets/moves.yaml:18:18: pages[0].blocks[2].chart.title:" in err
    assert not (project / "output" / "fr.pdf").exists()
    # Built once without --strict, the edition is up to date, but not for --strict: its
    # warnings still fail it (a CI job must not pass untranslated PDFs).
    code, out, err = run(project, "build", "factsheets/moves.yaml")
    assert code == 0, out + err
    built = (project / "output" / "fr.pdf").read_bytes()
    code, out, err = run(project, "build", "--strict", "factsheets/moves.yaml")
    assert code == 65, out + err
    assert "Error: factsheets/moves.yaml:18:18: pages[0].blocks[2].chart.title:" in err
    assert (project / "output" / "fr.pdf").read_bytes() == built  # left as it was


def test_a_translation_that_loses_a_placeholder_is_an_error_at_its_po_line(
    project: Path,
) -> None:
    source = "Most moves stay **close to home**: {{ total }} in all."
    po = translate(project, FRENCH | {source: "La plupart restent **près** : {{ totl }}."})
    code, _, err = run(project, "build", "factsheets/moves.yaml")
    assert code == 65
    line = line_of(po, "Most moves stay")
    assert (
        f"Error: translations/moves/fr.po:{line}: the 'fr' translation of "
        "`pages[0].blocks[1].paragraph.text` cannot be used: drops `{{ total }}` and adds "
        "`{{ totl }}`" in err
    )
    assert "keep every `{{ … }}` exactly as in the source text" in err
    assert (project / "output" / "en.pdf").exists()  # the other edition still builds


def test_a_translation_that_breaks_markdown_is_an_error(project: Path) -> None:
    source = "Most moves stay **close to home**: {{ total }} in all."
    po = translate(project, FRENCH | {source: "La plupart restent **près : {{ total }}."})
    code, _, err = run(project, "check", "factsheets/moves.yaml")
    assert code == 65
    assert f"translations/moves/fr.po:{line_of(po, 'Most moves stay')}:" in err
    assert "a `**` (bold) is not closed" in err


def test_a_missing_catalog_is_a_located_error_with_the_command(project: Path) -> None:
    code, _, err = run(project, "check", "factsheets/moves.yaml")
    assert code == 65
    assert "Error: factsheets/moves.yaml:" in err
    assert "editions.matrix.language: this edition is in 'fr', but there is no catalog" in err
    assert "factsheet translations update factsheets/moves.yaml --language fr" in err


def test_a_long_lived_process_notices_a_catalog_made_after_it_looked(project: Path) -> None:
    """Watch mode and batch workers expand a spec once per process; a catalog that was
    missing then, and is made later, must not stay an error."""
    from factsheet.editions.expanded import editions_of

    spec = project / "factsheets" / "moves.yaml"
    before = [e for e in editions_of(spec) if e.keys["language"] == "fr"]
    assert any("no catalog" in str(p) for e in before for p in e.problems)
    translate(project, FRENCH)
    after = [e for e in editions_of(spec) if e.keys["language"] == "fr"]
    assert not any("no catalog" in str(p) for e in after for p in e.problems)


def test_a_catalog_that_does_not_parse_is_a_located_error(project: Path) -> None:
    po = translate(project, FRENCH)
    po.write_text(po.read_text() + '\nmsgctxt "x"\nmsgid "broken\n')
    code, _, err = run(project, "check", "factsheets/moves.yaml")
    assert code == 65
    assert "Error: translations/moves/fr.po" in err and "not a valid PO file" in err
    assert "Traceback" not in err


def test_an_obsolete_entry_is_ignored(project: Path) -> None:
    po = translate(project, FRENCH)
    po.write_text(po.read_text() + '\n#~ msgctxt "old"\n#~ msgid "Gone"\n#~ msgstr "Parti"\n')
    code, out, err = run(project, "check", "factsheets/moves.yaml")
    assert code == 0 and "source language" not in err, out + err


def test_an_override_cannot_set_another_language_than_the_key(project: Path) -> None:
    spec = project / "factsheets" / "moves.yaml"
    spec.write_text(
        SPEC + "  overrides:\n    - when: {language: fr}\n      document: {language: es}\n"
    )
    translate(project, FRENCH)
    code, _, err = run(project, "check", "factsheets/moves.yaml")
    assert code == 65
    assert (
        "editions.overrides[0].document.language: this override sets `document.language` "
        "to 'es', but the edition's `language` key is 'fr'" in err
    )


def test_per_language_overrides_still_change_whole_blocks(project: Path) -> None:
    spec = project / "factsheets" / "moves.yaml"
    spec.write_text(
        SPEC
        + "  overrides:\n    - when: {language: fr}\n      blocks:\n"
        + '        intro: {text: "Un texte écrit pour l\'édition française."}\n'
    )
    translate(project, FRENCH)
    pot = (project / "translations" / "moves.pot").exists()
    code, out, err = run(project, "build", "factsheets/moves.yaml")
    assert code == 0 and "source language" not in err, out + err
    text = pdf_text(project / "output" / "fr.pdf")
    assert "Un texte écrit pour l'édition française." in text
    assert "près de chez soi" not in text
    assert not pot  # `update` does not write the template
    catalog = (project / "translations" / "moves" / "fr.po").read_text()
    assert "édition française" not in catalog  # written in French already: not offered


def test_a_figure_that_prints_a_label_cell_prints_its_translation(project: Path) -> None:
    spec = project / "factsheets" / "moves.yaml"
    spec.write_text(
        SPEC.replace(
            "variables:\n  place",
            "  biggest: {source: moves, column: share, aggregate: max, label: measure}\n"
            "variables:\n  place",
        ).replace("Moves in {{ place }}", "Moves in {{ place }}: {{ biggest }} first")
    )
    heading = {"Moves in {{ place }}: {{ biggest }} first": "Dans {{ place }} : {{ biggest }}"}
    translate(project, FRENCH | heading)
    code, out, err = run(project, "build", "factsheets/moves.yaml")
    assert code == 0, out + err
    assert "Dans le monde : Travailleurs migrants" in pdf_text(project / "output" / "fr.pdf")
    assert "Moves in the world: Migrant workers first" in pdf_text(project / "output" / "en.pdf")


def test_status_counts_each_languages_texts(project: Path) -> None:
    strings = {k: v for k, v in FRENCH.items() if k != "Shares of all moves"}
    translate(project, strings, fuzzy=("Where people go",))
    code, out, err = run(project, "translations", "status", "factsheets/moves.yaml")
    assert code == 0, out + err
    assert out == (
        "fr          7/9 translated, 1 fuzzy, 1 untranslated  (translations/moves/fr.po)\n"
    )


def test_an_untranslated_data_value_is_a_warning_where_it_is_shown(project: Path) -> None:
    strings = {k: v for k, v in FRENCH.items() if k != "Migrant workers"}
    po = translate(project, strings)
    code, out, err = run(project, "check", "factsheets/moves.yaml")
    assert code == 0, out + err
    line = line_of(po, "Migrant workers")
    warning = (
        "the data value 'Migrant workers' (`data.moves.measure`) has no usable translation "
        f"in translations/moves/fr.po:{line} (untranslated or fuzzy): it is shown in the "
        "source language"
    )
    assert f"pages[0].blocks[2].chart: {warning}" in err  # the chart's category label
    assert f"pages[0].blocks[3].table: {warning}" in err  # and the table's cell
    assert "'Displaced people'" not in err
    code, _, err = run(project, "check", "--strict", "factsheets/moves.yaml")
    assert code == 65


def test_next_years_spec_starts_its_catalogs_from_this_years(project: Path) -> None:
    """A spec copied for next year needs catalogs of its own: the error points at
    `--from`, which starts them from the other spec's translations (only texts that did
    not change keep theirs)."""
    translate(project, FRENCH)
    next_year = SPEC.replace("year: 2024", "year: 2025").replace(
        'output: "output/{language}.pdf"', 'output: "output/2025/{language}.pdf"'
    )
    next_year = next_year.replace("title: Shares of all moves", "title: Shares of moves")
    (project / "factsheets" / "moves2025.yaml").write_text(next_year)
    code, _, err = run(project, "check", "factsheets/moves2025.yaml")
    assert code == 65
    assert "add `--from factsheets/moves.yaml` to start from its translations" in err

    update = ("translations", "update", "factsheets/moves2025.yaml", "--language", "fr")
    code, out, err = run(project, *update, "--from", "factsheets/moves.yaml")
    assert code == 0, out + err
    with (project / "translations" / "moves2025" / "fr.po").open("rb") as handle:
        catalog = read_po(handle)
    kept = {m.id: m.string for m in catalog if m.id and not m.fuzzy and m.string}
    assert kept["Moves in {{ place }}"] == "Déplacements dans {{ place }}"
    assert "Shares of moves" not in kept  # changed English: fuzzy, never silently reused

    code, _, err = run(project, *update, "--from", "factsheets/moves.yaml")
    assert code == 65 and "fr.po exists already: --from only starts new catalogs" in err
    code, _, err = run(project, *update[:3], "--language", "de", "--from", "factsheets/moves.yaml")
    assert code == 65 and "there is no catalog translations/moves/de.po to start" in err
