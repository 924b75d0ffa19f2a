"""Number formatting: styles, locales, rounding edges, signs and refusal of NaN. The
language conventions are CLDR's (see test_formats_cldr.py for more languages)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from factsheet.data.formats import format_number, locale_for
from factsheet.errors import DataError, FactsheetError, SpecError
from factsheet.spec.model import Format

NNBSP = "\u202f"
NBSP = "\u00a0"
MINUS = "\u2212"


@pytest.mark.parametrize(
    ("language", "value", "fmt", "expected"),
    [
        # number
        ("en", 1234567, {}, "1,234,567"),
        ("en", 2008, {"grouping": False}, "2008"),
        ("fr", 1234567.5, {"grouping": False, "decimals": 1}, "1234567,5"),
        ("en", 1234567, {"grouping": False, "style": "compact", "significant": 3}, "1.23M"),
        ("en", 999, {}, "999"),
        ("en", 1234.5, {"decimals": 1}, "1,234.5"),
        ("en", 0.125, {"decimals": 2}, "0.13"),
        ("en", 2.675, {"decimals": 2}, "2.68"),
        # without `decimals`: never 0 or 1 for 0.5 (issue 14), two significant digits below 10
        ("en", 0.5, {}, "0.5"),
        ("en", 2.5, {}, "2.5"),
        ("en", -2.5, {}, f"{MINUS}2.5"),
        ("en", 0.5, {"decimals": 0}, "1"),
        ("en", 2.5, {"decimals": 0}, "3"),
        ("en", -2.5, {"decimals": 0}, f"{MINUS}3"),
        ("en", -1234.5, {}, f"{MINUS}1,235"),
        ("en", -0.004, {"decimals": 2}, "0.00"),
        ("en", 12, {"decimals": 2}, "12.00"),
        ("fr", 1234567.891, {"decimals": 2}, f"1{NNBSP}234{NNBSP}567,89"),
        ("fr", 999.5, {}, f"1{NNBSP}000"),
        ("es", 1234, {}, "1234"),
        ("es", 12345, {}, "12.345"),
        ("es", 1234567.5, {"decimals": 1}, "1.234.567,5"),
        # percent
        ("en", 0.72, {"style": "percent"}, "72%"),
        ("en", 0.725, {"style": "percent", "decimals": 1}, "72.5%"),
        ("en", 0.0005, {"style": "percent", "decimals": 1}, "0.1%"),
        ("en", 12.5, {"style": "percent"}, "1,250%"),
        ("fr", 0.725, {"style": "percent", "decimals": 1}, f"72,5{NBSP}%"),
        ("es", 0.72, {"style": "percent"}, f"72{NBSP}%"),
        # compact
        ("en", 1_234_567, {"style": "compact", "decimals": 1}, "1.2M"),
        ("en", 45_000, {"style": "compact"}, "45K"),
        ("en", 999, {"style": "compact"}, "999"),
        ("en", 999.96, {"style": "compact", "decimals": 1}, "1.0K"),
        ("en", 999_950, {"style": "compact", "decimals": 1}, "1.0M"),
        ("en", 999_949, {"style": "compact", "decimals": 1}, "999.9K"),
        ("en", 2_500_000_000, {"style": "compact", "decimals": 1}, "2.5B"),
        ("en", 1.5e12, {"style": "compact"}, "1.5T"),  # CLDR has trillions
        ("en", 1.5e12, {"style": "compact", "decimals": 1}, "1.5T"),
        ("en", 1.5e15, {"style": "compact"}, "1500T"),  # as ICU: compact groups from 5 digits
        ("en", -45_000, {"style": "compact"}, f"{MINUS}45K"),
        ("fr", 1_234_567, {"style": "compact", "decimals": 1}, f"1,2{NBSP}M"),
        ("fr", 45_000, {"style": "compact"}, f"45{NBSP}k"),
        ("fr", 3e9, {"style": "compact"}, f"3{NBSP}Md"),
        ("es", 45_000, {"style": "compact"}, f"45{NBSP}mil"),
        ("es", 2.5e9, {"style": "compact", "decimals": 1}, f"2500,0{NBSP}M"),  # CLDR
        # sign, prefix and suffix
        ("en", 3.5, {"decimals": 1, "sign": True}, "+3.5"),
        ("en", -3.5, {"decimals": 1, "sign": True}, f"{MINUS}3.5"),
        ("en", 0, {"sign": True}, "0"),
        ("en", 0.004, {"decimals": 2, "sign": True}, "0.00"),
        ("en", 0.05, {"style": "percent", "sign": True}, "+5%"),
        ("fr", 0.05, {"style": "percent", "sign": True}, f"+5{NBSP}%"),
        ("en", 1200, {"prefix": "US$"}, "US$1,200"),
        ("en", 4500, {"suffix": " people"}, "4,500 people"),
        ("en", 12, {"prefix": "(", "suffix": ")", "sign": True}, "(+12)"),
    ],
)
def test_format_number(language: str, value: float, fmt: dict[str, Any], expected: str) -> None:
    assert format_number(value, Format(**fmt), locale_for(language)) == expected


def test_default_locale_is_english() -> None:
    assert format_number(1234.5, Format(decimals=1)) == "1,234.5"


def test_numpy_values_round_like_python_floats() -> None:
    assert format_number(np.float64(0.125), Format(decimals=2)) == "0.13"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (float("nan"), "figure is not a number (NaN)"),
        (float("inf"), "figure is not a number (infinity)"),
        (float("-inf"), "figure is not a number (infinity)"),
    ],
)
def test_non_finite_values_are_refused(value: float, message: str) -> None:
    with pytest.raises(DataError) as caught:
        format_number(value, Format.model_validate({}))
    assert caught.value.message == message
    assert caught.value.location is None


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "en"), ("fr", "fr"), ("fr-CA", "fr_CA"), ("es-MX", "es_MX"), ("de", "de")],
)
def test_locale_for(language: str, expected: str) -> None:
    assert locale_for(language).identifier == expected


def test_a_region_has_its_own_conventions() -> None:
    """Mexican Spanish groups 1,234 with commas; Spain's leaves four digits alone."""
    assert format_number(1234.5, Format(decimals=1), locale_for("es-MX")) == "1,234.5"
    assert format_number(1234.5, Format(decimals=1), locale_for("es")) == "1234,5"


def test_a_language_babel_does_not_know_is_an_error() -> None:
    """Never English conventions (1,234.5) silently in an unknown language."""
    with pytest.raises(SpecError) as caught:
        locale_for("qq")
    assert caught.value.message == "'qq' is not a language factsheet knows"


# --- significant figures ----------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "value", "fmt", "expected"),
    [
        # The case that printed "1B" twice: two different populations stay different.
        ("en", 1_318_683_096, {"style": "compact", "significant": 3}, "1.32B"),
        ("en", 1_120_000_000, {"style": "compact", "significant": 3}, "1.12B"),
        ("en", 1_100_000_000, {"style": "compact", "significant": 3}, "1.10B"),
        ("en", 24_549_947, {"style": "compact", "significant": 3}, "24.5M"),
        ("en", 929_539_692, {"style": "compact", "significant": 3}, "930M"),
        ("en", 999_950, {"style": "compact", "significant": 3}, "1.00M"),
        ("en", 999.96, {"style": "compact", "significant": 3}, "1.00K"),
        ("en", 5e12, {"style": "compact", "significant": 2}, "5.0T"),
        ("en", -1_318_683_096, {"style": "compact", "significant": 2}, f"{MINUS}1.3B"),
        ("fr", 1_318_683_096, {"style": "compact", "significant": 3}, f"1,32{NBSP}Md"),
        ("es", 1_318_683_096, {"style": "compact", "significant": 3}, f"1320{NBSP}M"),
        ("es", 24_549_947, {"style": "compact", "significant": 3}, f"24,5{NBSP}M"),
        # number: digits past the significant ones print as zeros, half away from zero
        ("en", 1234, {"significant": 2}, "1,200"),
        ("en", 1250, {"significant": 2}, "1,300"),
        ("en", 123_456, {"significant": 3}, "123,000"),
        ("en", 9.996, {"significant": 3}, "10.0"),
        ("en", 0.012345, {"significant": 2}, "0.012"),
        ("en", 0.125, {"significant": 2}, "0.13"),
        ("en", 0, {"significant": 3}, "0"),
        ("fr", 1234.5678, {"significant": 6}, f"1{NNBSP}234,57"),
        ("es", 1234, {"significant": 2}, "1200"),
        ("es", 12_345, {"significant": 3}, "12.300"),
        # percent: counted on the percentage
        ("en", 0.72345, {"style": "percent", "significant": 2}, "72%"),
        ("en", 0.012345, {"style": "percent", "significant": 2}, "1.2%"),
        ("fr", 0.12345, {"style": "percent", "significant": 3}, f"12,3{NBSP}%"),
        # signs and affixes as with decimals
        ("en", 0.0004, {"significant": 1, "sign": True}, "+0.0004"),
        ("en", 1_318_683_096, {"style": "compact", "significant": 3, "prefix": "US$"}, "US$1.32B"),
    ],
)
def test_significant_figures(
    language: str, value: float, fmt: dict[str, Any], expected: str
) -> None:
    assert format_number(value, Format(**fmt), locale_for(language)) == expected


def test_decimals_and_significant_are_exclusive() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="set `decimals` or `significant`, not both"):
        Format.model_validate({"significant": 3, "decimals": 1})
    assert Format.model_validate({"significant": 3}).decimals == 0


def test_significant_in_a_spec_is_a_located_error(tmp_path: Any) -> None:
    from factsheet.spec.loader import load_yaml
    from factsheet.spec.validate import validate_spec

    spec = tmp_path / "s.yaml"
    spec.write_text(
        "document: {title: T, author: A}\ntheme: un-blue\n"
        "data: {d: {file: d.csv}}\n"
        "figures:\n  x: {source: d, column: v, format: {significant: 2, decimals: 1}}\n"
        "pages: [{blocks: [{paragraph: '{{ x }}'}]}]\n"
    )
    loaded = load_yaml(spec)
    with pytest.raises(FactsheetError) as caught:
        validate_spec(loaded.data, spec, tmp_path, loaded.source_map)
    assert caught.value.location is not None and caught.value.location.line == 5
    assert "set `decimals` or `significant`, not both" in str(caught.value)


@pytest.mark.parametrize(
    ("language", "ticks", "fmt", "expected"),
    [
        ("en", [0, 800, 1600, 2400, 3200], {}, ["0", "0.8K", "1.6K", "2.4K", "3.2K"]),
        ("en", [0, 500_000, 1_000_000, 1_500_000], {}, ["0", "0.5M", "1M", "1.5M"]),
        ("en", [0, 1000, 2000], {"decimals": 0}, ["0", "1K", "2K"]),
        ("en", [-800, 0, 1600], {}, ["−0.8K", "0", "1.6K"]),
        ("fr", [0, 800, 1600], {}, ["0", "0,8\u00a0k", "1,6\u00a0k"]),
        ("zh", [0, 5000, 10000, 15000], {}, ["0", "0.5万", "1万", "1.5万"]),
        ("en", [0, 200, 400], {}, ["0", "200", "400"]),  # below every step: as they are
    ],
)
def test_an_axis_writes_compact_numbers_in_one_step(
    language: str, ticks: list[float], fmt: dict[str, Any], expected: list[str]
) -> None:
    from factsheet.data.formats import compact_step, printed_value

    locale = locale_for(language)
    compact = Format(style="compact", **fmt)
    step = compact_step(ticks, compact, locale)
    assert [format_number(t, compact, locale, step) for t in ticks] == expected
    # What each label stands for: the tick itself, so the axis reads true.
    assert [float(printed_value(t, compact, locale, step)) for t in ticks] == ticks


def test_only_compact_formats_have_a_step() -> None:
    from factsheet.data.formats import compact_step

    assert compact_step([0, 800, 1600], Format()) is None
    assert compact_step([0, 800, 1600], Format(style="percent")) is None
    assert compact_step([], Format(style="compact")) is None
