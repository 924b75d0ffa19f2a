"""Numbers and dates written the CLDR way through Babel, in the six UN languages and
beyond: exact strings per language, Arabic-Indic digits, Spanish minimum grouping, the
French no-break spaces by code point, month names, currency, and the facts Babel does
not ship (minimum grouping, numbering-system digits) checked against its locales."""

from __future__ import annotations

import datetime as dt
import decimal
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from factsheet.data import cldr
from factsheet.data.formats import format_number, locale_for
from factsheet.errors import TemplateError
from factsheet.spec.model import Format
from tests.projects import make_project

NBSP, NNBSP, MINUS = "\u00a0", "\u202f", "\u2212"
LRM, RLM, ALM = "\u200e", "\u200f", "\u061c"
MILLION_AR = "\u0645\u0644\u064a\u0648\u0646"  # مليون


def fmt(language: str, value: float, digits: str = "latin", **options: Any) -> str:
    return format_number(value, Format(**options), locale_for(language, digits))  # type: ignore[arg-type]


CASES: list[tuple[str, float, dict[str, Any], str]] = [
    # plain, negative, decimals
    ("en", 1234567.891, {"decimals": 2}, "1,234,567.89"),
    ("fr", 1234567.891, {"decimals": 2}, f"1{NNBSP}234{NNBSP}567,89"),
    ("es", 1234567.891, {"decimals": 2}, "1.234.567,89"),
    ("ru", 1234567.891, {"decimals": 2}, f"1{NBSP}234{NBSP}567,89"),
    ("ar", 1234567.891, {"decimals": 2}, "1,234,567.89"),
    ("zh", 1234567.891, {"decimals": 2}, "1,234,567.89"),
    ("en", -1234.5, {}, f"{MINUS}1,235"),
    ("fr", -1234.5, {}, f"{MINUS}1{NNBSP}235"),
    ("ru", -1234.5, {"decimals": 1}, f"{MINUS}1{NBSP}234,5"),
    ("ar", -1234.5, {}, f"{MINUS}1,235"),
    ("zh", -1234.5, {}, f"{MINUS}1,235"),
    # percent
    ("en", 0.72, {"style": "percent"}, "72%"),
    ("fr", 0.72, {"style": "percent"}, f"72{NBSP}%"),
    ("es", 0.72, {"style": "percent"}, f"72{NBSP}%"),
    ("ru", 0.725, {"style": "percent", "decimals": 1}, f"72,5{NBSP}%"),
    ("ar", 0.72, {"style": "percent"}, "72%"),
    ("zh", 0.72, {"style": "percent"}, "72%"),
    ("fr", -0.725, {"style": "percent", "decimals": 1}, f"{MINUS}72,5{NBSP}%"),
    ("ar", -0.725, {"style": "percent", "decimals": 1}, f"{MINUS}72.5%"),
    # sign
    ("en", 0.05, {"style": "percent", "sign": True}, "+5%"),
    ("fr", 0.05, {"style": "percent", "sign": True}, f"+5{NBSP}%"),
    ("ar", 0.05, {"style": "percent", "sign": True}, "+5%"),
    ("ru", 3.5, {"decimals": 1, "sign": True}, "+3,5"),
    ("zh", -3.5, {"decimals": 1, "sign": True}, f"{MINUS}3.5"),
    # compact: each language's short forms
    ("en", 1234567, {"style": "compact", "decimals": 1}, "1.2M"),
    ("fr", 1234567, {"style": "compact", "decimals": 1}, f"1,2{NBSP}M"),
    ("es", 1234567, {"style": "compact", "decimals": 1}, f"1,2{NBSP}M"),
    ("ru", 1234567, {"style": "compact", "decimals": 1}, f"1,2{NBSP}млн"),
    ("ar", 1234567, {"style": "compact", "decimals": 1}, f"1.2{NBSP}{MILLION_AR}"),
    ("zh", 1234567, {"style": "compact", "decimals": 1}, "123.5万"),
    ("zh", 1234, {"style": "compact"}, "1234"),  # no compact form below 10,000
    ("zh", 12345, {"style": "compact"}, "1.2万"),
    ("zh", 99_999_999, {"style": "compact"}, "1亿"),  # 10000万 moves up to 亿
    ("ru", 45_000, {"style": "compact"}, f"45{NBSP}тыс."),
    ("fr", 999_950, {"style": "compact", "decimals": 1}, f"1,0{NBSP}M"),
    ("es", 2.5e9, {"style": "compact", "decimals": 1}, f"2500,0{NBSP}M"),  # CLDR: mil M
    ("en", -45_000, {"style": "compact", "sign": True}, f"{MINUS}45K"),
    # significant digits, counted on the number as printed
    ("en", 1_318_683_096, {"style": "compact", "significant": 3}, "1.32B"),
    ("fr", 1_318_683_096, {"style": "compact", "significant": 3}, f"1,32{NBSP}Md"),
    ("ru", 1_318_683_096, {"style": "compact", "significant": 3}, f"1,32{NBSP}млрд"),
    ("zh", 1_318_683_096, {"style": "compact", "significant": 3}, "13.2亿"),
    ("es", 1234, {"significant": 2}, "1200"),
    ("ar", 0.012345, {"style": "percent", "significant": 2}, "1.2%"),
    # currency, with the currency's own decimals unless told otherwise
    ("en", 1234.5, {"style": "currency", "currency": "USD"}, "$1,234.50"),
    ("fr", 1234.5, {"style": "currency", "currency": "USD"}, f"1{NNBSP}234,50{NBSP}$US"),
    ("es", 1234.5, {"style": "currency", "currency": "EUR"}, f"1234,50{NBSP}€"),
    ("ru", 1234.5, {"style": "currency", "currency": "RUB"}, f"1{NBSP}234,50{NBSP}₽"),
    ("zh", 1234.5, {"style": "currency", "currency": "CNY"}, "¥1,234.50"),
    ("ar", 1234.5, {"style": "currency", "currency": "USD"}, f"1,234.50{NBSP}US$"),
    (
        "ar",
        -1234.5,
        {"style": "currency", "currency": "USD"},
        f"{MINUS}1,234.50{NBSP}US$",
    ),
    ("en", -1234.5, {"style": "currency", "currency": "USD"}, f"{MINUS}$1,234.50"),
    ("en", 1234.5, {"style": "currency", "currency": "JPY"}, "¥1,235"),
    ("en", 1234.5, {"style": "currency", "currency": "USD", "decimals": 0}, "$1,235"),
    ("en", 2.5, {"style": "currency", "currency": "USD", "sign": True}, "+$2.50"),
]


@pytest.mark.parametrize(("language", "value", "options", "expected"), CASES)
def test_each_language_writes_numbers_its_own_way(
    language: str, value: float, options: dict[str, Any], expected: str
) -> None:
    assert fmt(language, value, **options) == expected


def test_french_spaces_are_the_no_break_ones_by_code_point() -> None:
    """Grouping is U+202F (narrow no-break space); the percent sign follows U+00A0."""
    grouped = fmt("fr", 1234567)
    assert [hex(ord(c)) for c in grouped if not c.isdigit()] == ["0x202f", "0x202f"]
    percent = fmt("fr", 0.72, style="percent")
    assert [ord(c) for c in percent] == [ord("7"), ord("2"), 0x00A0, ord("%")]
    assert " " not in fmt("fr", 12345.5, decimals=1) + fmt("fr", 0.5, style="percent")


def test_spanish_leaves_four_digits_ungrouped() -> None:
    """CLDR's minimum grouping digits: 1000 but 10.000, in numbers and percentages."""
    assert [fmt("es", v) for v in (999, 1000, 9999, 10_000, 123_456)] == [
        "999", "1000", "9999", "10.000", "123.456",
    ]  # fmt: skip
    assert fmt("es", 12.34, style="percent") == f"1234{NBSP}%"
    assert fmt("es-MX", 1000) == "1,000"  # Mexico groups from four digits
    assert fmt("pl", 1000) == "1000" and fmt("pl", 10_000) == f"10{NBSP}000"


def test_indian_grouping_comes_from_the_pattern() -> None:
    assert fmt("hi", 12_345_678.5, decimals=1) == "1,23,45,678.5"


def test_grouping_off_and_affixes_keep_working() -> None:
    assert fmt("fr", 2008, grouping=False) == "2008"
    assert fmt("fr", 0.5, style="percent", prefix="(", suffix=")") == f"(50{NBSP}%)"
    assert fmt("es", 12_345, grouping=False, style="compact", decimals=1) == f"12,3{NBSP}mil"


# --- native digits ---------------------------------------------------------------------

AR = dict(zip("0123456789", "٠١٢٣٤٥٦٧٨٩", strict=True))


def arabic(text: str) -> str:
    return "".join(AR.get(c, c) for c in text)


@pytest.mark.parametrize(
    ("value", "options", "expected"),
    [
        (1234567.891, {"decimals": 2}, arabic("1٬234٬567٫89")),
        (-1234.5, {}, f"{MINUS}" + arabic("1٬235")),
        (0.725, {"style": "percent", "decimals": 1}, arabic("72٫5") + "٪"),
        (0.05, {"style": "percent", "sign": True}, "+" + arabic("5") + "٪"),
        (1234567, {"style": "compact", "decimals": 1}, arabic("1٫2") + f"{NBSP}{MILLION_AR}"),
        (
            1234.5,
            {"style": "currency", "currency": "USD"},
            arabic("1٬234٫50") + f"{NBSP}US$",
        ),
        (2008, {"grouping": False}, "٢٠٠٨"),
    ],
)
def test_arabic_native_digits_are_arabic_indic_with_their_own_symbols(
    value: float, options: dict[str, Any], expected: str
) -> None:
    text = fmt("ar", value, "native", **options)
    assert text == expected
    assert not any(c.isascii() and c.isdigit() for c in text), "no Latin digit left over"
    assert not set(cldr.BIDI_MARKS) & set(text)  # see test_no_invisible_direction_marks


def test_babels_own_arab_output_is_mixed_so_factsheet_converts_itself() -> None:
    """Why the conversion is deliberate: Babel keeps Latin digits and the Latin percent."""
    from babel.numbers import format_percent

    mixed = format_percent(0.72, locale="ar", numbering_system="arab")
    assert "72" in mixed  # Babel's digits stay Latin
    assert fmt("ar", 0.72, "native", style="percent") == "٧٢٪"


def test_native_digits_follow_cldr_in_every_language() -> None:
    """Latin-digit languages write 0-9 either way; others get their own digits."""
    for language in ("en", "fr", "es", "ru"):
        assert locale_for(language, "native").system == "latn"
        assert fmt(language, 1234.5, "native", decimals=1) == fmt(language, 1234.5, decimals=1)
    assert locale_for("ar", "native").system == "arab"
    assert fmt("zh", 2021, "native", grouping=False) == "二〇二一"
    assert fmt("hi", 1234.5, "native", decimals=1) == "१,२३४.५"
    assert fmt("fa", 0.5, "native", style="percent") == "۵۰٪"
    assert fmt("ar-EG", 12, "latin") == "12"  # Egypt's default digits are Arabic-Indic


def test_no_invisible_direction_marks_are_printed() -> None:
    """CLDR's U+200E, U+200F and U+061C are left out: Lato inks U+200E and U+200F, Noto
    Naskh Arabic lacks U+061C (see factsheet.data.cldr)."""
    assert babel_symbol("ar", "arab", "percentSign") == f"٪{ALM}"  # what CLDR has
    assert babel_symbol("ar", "latn", "percentSign") == f"{LRM}%{LRM}"
    assert cldr.symbols("ar", "arab").percent == "٪"
    assert cldr.symbols("ar", "latn").minus == MINUS
    printed = [
        fmt(language, value, digits, **options)  # type: ignore[arg-type]
        for language in ("ar", "fa", "he", "ur", "ar-EG")
        for digits in ("latin", "native")
        for value in (-1234.5, 0.72)
        for options in (
            {},
            {"style": "percent", "sign": True},
            {"style": "compact"},
            {"style": "currency", "currency": "USD"},
        )
    ]
    printed += [locale_for("ar", "native").date(DAY, "short"), locale_for("fa").date(DAY)]
    assert not [t for t in printed if set(t) & {LRM, RLM, ALM}]


def babel_symbol(identifier: str, system: str, key: str) -> str:
    return str(cldr.babel_locale(identifier).number_symbols[system][key])


# --- dates -----------------------------------------------------------------------------

DAY = dt.date(2021, 12, 15)


@pytest.mark.parametrize(
    ("language", "digits", "form", "expected"),
    [
        ("en", "latin", "long", "December 15, 2021"),
        ("fr", "latin", "long", "15 décembre 2021"),
        ("fr", "latin", "full", "mercredi 15 décembre 2021"),
        ("fr", "latin", "short", "15/12/2021"),
        ("es", "latin", "long", "15 de diciembre de 2021"),
        ("ru", "latin", "long", f"15 декабря 2021{NNBSP}г."),
        ("ru", "latin", "medium", f"15 дек. 2021{NNBSP}г."),
        ("zh", "latin", "long", "2021年12月15日"),
        ("ar", "latin", "long", "15 ديسمبر 2021"),
        ("ar", "native", "long", "١٥ ديسمبر ٢٠٢١"),
        ("ar", "native", "short", "١٥/١٢/٢٠٢١"),
    ],
)
def test_dates_in_the_language(language: str, digits: str, form: str, expected: str) -> None:
    assert locale_for(language, digits).date(DAY, form) == expected  # type: ignore[arg-type]


SPEC = """\
document: {{title: T, author: A, language: {language}{extra}}}
theme: un-blue
pages:
  - blocks:
      - paragraph: "Published {{{{ date }}}}."
"""


def data_stage(tmp_path: Path, language: str, extra: str) -> Any:
    from factsheet.data_stage import prepare_data
    from factsheet.spec.validate import load_spec

    project = make_project(tmp_path, {}, {"s.yaml": SPEC.format(language=language, extra=extra)})
    return prepare_data(load_spec(project / "factsheets" / "s.yaml", project))


@pytest.mark.parametrize(
    ("language", "extra", "expected"),
    [
        ("fr", ", date: 2021-12-15", "Published 15 décembre 2021."),
        ("ru", ", date: 2021-12-15, date_format: medium", f"Published 15 дек. 2021{NNBSP}г.."),
        ("zh", ", date: 2021-12-15", "Published 2021年12月15日."),
        ("ar", ", date: 2021-12-15, digits: native", "Published ١٥ ديسمبر ٢٠٢١."),
        ("en", ", date: 2021-12-15, date_format: short", "Published 12/15/21."),
    ],
)
def test_the_document_date_is_printed_in_the_document_language(
    tmp_path: Path, language: str, extra: str, expected: str
) -> None:
    data = data_stage(tmp_path, language, extra)
    assert data.templates.render_value("Published {{ date }}.") == expected


def test_a_date_the_spec_does_not_give_is_never_printed(tmp_path: Path) -> None:
    """No `document.date`: `{{ date }}` is an error, not 1 January of some year."""
    templates = data_stage(tmp_path, "fr", ", year: 2021").templates
    for text in ("{{ date }}", "{{ date | upper }}"):
        with pytest.raises(TemplateError) as caught:
            templates.render(text)
        assert (
            caught.value.message
            == "the template uses `date`, but the spec gives no `document.date`"
        )


def test_native_digits_reach_the_figures(tmp_path: Path) -> None:
    from factsheet.data_stage import prepare_data
    from factsheet.spec.validate import load_spec

    spec = (
        "document: {title: T, author: A, language: ar, digits: native}\ntheme: un-blue\n"
        "data: {d: {file: data/d.csv}}\n"
        "figures:\n  share: {source: d, column: v, format: {style: percent, decimals: 1}}\n"
        "pages: [{blocks: [{paragraph: '{{ share }}'}]}]\n"
    )
    project = make_project(tmp_path, {"d.csv": "v\n0.725\n"}, {"s.yaml": spec})
    data = prepare_data(load_spec(project / "factsheets" / "s.yaml", project))
    assert data.figures["share"].text == "٧٢٫٥٪"


# --- the spec ---------------------------------------------------------------------------


def test_currency_style_and_code_go_together() -> None:
    with pytest.raises(ValidationError, match="`style: currency` and `currency` go together"):
        Format.model_validate({"style": "currency"})
    with pytest.raises(ValidationError, match="`style: currency` and `currency` go together"):
        Format.model_validate({"currency": "USD"})
    with pytest.raises(ValidationError, match="'USX' is not an ISO 4217 currency code"):
        Format.model_validate({"style": "currency", "currency": "USX"})


# --- what Babel does not ship -------------------------------------------------------------


def test_minimum_grouping_table_names_babel_locales() -> None:
    from babel.localedata import locale_identifiers

    assert set(locale_identifiers()) >= cldr.MIN_GROUPING_TWO


def test_every_native_numbering_system_has_its_digits() -> None:
    from babel import Locale
    from babel.localedata import locale_identifiers

    systems = {
        Locale.parse(i).other_numbering_systems.get("native", "latn") for i in locale_identifiers()
    }
    for system in systems:
        digits = cldr.digits_of(system)
        assert len(set(digits)) == 10, system
        if system != "hanidec":
            assert [unicodedata.decimal(d) for d in digits] == list(range(10)), system


def test_latin_numbers_match_babels_own_in_every_locale() -> None:
    """Grouping, decimal mark and pattern for every locale Babel knows, checked against
    Babel's formatting of the same (already rounded) number. Babel drops a group mark
    that is an apostrophe (Swiss `1'234'567.89`: it takes it for pattern quoting), so
    those locales are compared with it put back."""
    from babel.localedata import locale_identifiers
    from babel.numbers import format_decimal

    exact = decimal.Decimal("1234567.89")
    differ = []
    for identifier in locale_identifiers():
        ours = format_number(1234567.891, Format(decimals=2), locale_for(identifier))
        theirs = cldr.without_marks(
            format_decimal(exact, locale=identifier, decimal_quantization=False)
        )
        if cldr.symbols(identifier, "latn").group == "'":
            theirs = format_decimal(exact, locale=identifier, group_separator=False)
            theirs = theirs[:1] + "'" + theirs[1:4] + "'" + theirs[4:]
        if ours != theirs:
            differ.append((identifier, ours, theirs))
    assert differ == []
