"""What CLDR says about writing numbers and dates in one language, read through Babel and
parsed once per language (formatting is on hot paths: every tick label). Babel gives
the patterns, symbols, compact forms, currency symbols and month names; two facts it
does not ship are kept here, each measured against ICU's copy of CLDR (see
`tests/test_formats_cldr.py`): which languages leave four-digit numbers ungrouped
(CLDR's minimum grouping digits) and the digits of each numbering system.

Invisible direction marks: CLDR puts U+200E (left-to-right mark) and U+200F
(right-to-left mark) into Arabic symbols and patterns, and U+061C (Arabic letter mark)
into those of Arabic-Indic digits. They are left out of everything printed: Lato draws
U+200E and U+200F as visible boxes (zero-width, but inked), Noto Naskh Arabic has no
U+061C and Noto Sans Arabic draws it 0.6 em wide, and only a shaping engine would hide
them. Without them the Unicode bidi algorithm still orders Arabic-Indic digits with
their signs and percent signs as CLDR intends, and Latin digits with a percent sign;
a minus or plus sign before Latin digits inside right-to-left text is the one case
they changed (the line's direction then places the sign)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Literal

from factsheet.errors import SpecError

if TYPE_CHECKING:
    from babel import Locale

Digits = Literal["latin", "native"]
DateForm = Literal["short", "medium", "long", "full"]

MINUS = "\u2212"
"""The minus sign printed wherever CLDR writes a hyphen-minus: the typographic minus,
as wide as the plus sign, which the project has always printed."""
LATIN_DIGITS = "0123456789"
BIDI_MARKS = "\u200e\u200f\u061c"
"""Left-to-right, right-to-left and Arabic letter marks: see the module doc."""
_NO_MARKS = str.maketrans("", "", BIDI_MARKS)

# CLDR's minimumGroupingDigits is 2 for these locales (1000 but 10 000), 1 for every
# other; Babel does not ship the value. Read from ICU 78 (CLDR 48) for every locale
# Babel knows; a test checks that each is a Babel locale.
# fmt: off
MIN_GROUPING_TWO = frozenset((
    "be", "be_BY", "be_TARASK", "bg", "bg_BG", "ee", "ee_GH", "ee_TG", "es", "es_EA", "es_ES",
    "es_GQ", "es_IC", "es_PH", "et", "et_EE", "hu", "hu_HU", "hy", "hy_AM", "ia", "ia_001",
    "ie", "ie_EE", "it", "it_CH", "it_IT", "it_SM", "it_VA", "ka", "ka_GE", "lv", "lv_LV", "pl",
    "pl_PL", "pt_CH", "pt_CV", "pt_GQ", "pt_GW", "pt_LU", "pt_MO", "pt_MZ", "pt_PT", "pt_ST",
    "pt_TL", "ru_UA", "sl", "sl_SI", "sq", "sq_AL", "sq_MK", "sq_XK",
))
# fmt: on

# The zero of each decimal numbering system CLDR names as some language's native one
# (its digits are the next nine code points), and Chinese `hanidec`, which is not a run.
_ZEROS = {
    "adlm": 0x1E950, "arab": 0x0660, "arabext": 0x06F0, "beng": 0x09E6, "cakm": 0x11136,
    "deva": 0x0966, "gujr": 0x0AE6, "guru": 0x0A66, "hmnp": 0x1E140, "khmr": 0x17E0,
    "knda": 0x0CE6, "laoo": 0x0ED0, "mlym": 0x0D66, "mong": 0x1810, "mtei": 0xABF0,
    "mymr": 0x1040, "nkoo": 0x07C0, "olck": 0x1C50, "orya": 0x0B66, "tamldec": 0x0BE6,
    "telu": 0x0C66, "thai": 0x0E50, "tibt": 0x0F20, "vaii": 0xA620,
}  # fmt: skip
_HANIDEC = "\u3007\u4e00\u4e8c\u4e09\u56db\u4e94\u516d\u4e03\u516b\u4e5d"


def digits_of(system: str) -> str:
    """The ten digits of a numbering system, zero first."""
    if system == "latn":
        return LATIN_DIGITS
    if system == "hanidec":
        return _HANIDEC
    zero = _ZEROS.get(system)
    if zero is None:
        raise SpecError(f"factsheet does not know the digits of numbering system '{system}'")
    return "".join(chr(zero + n) for n in range(10))


def without_marks(text: str) -> str:
    """CLDR text without its invisible direction marks (see the module doc)."""
    return text.translate(_NO_MARKS)


@dataclass(frozen=True)
class Affixes:
    """A pattern's text around the number, positive and negative, with its symbols
    (`%`, `¤`) already replaced; `-` in `negative` stands for the sign."""

    positive: tuple[str, str]
    negative: tuple[str, str]


@dataclass(frozen=True)
class Pattern:
    """One CLDR number pattern, parsed: affixes and digit grouping."""

    affixes: Affixes
    grouping: tuple[int, int]  # primary and secondary group sizes (1000: none)
    scale: int  # CLDR compact patterns: how many zeros the pattern itself prints


@dataclass(frozen=True)
class Symbols:
    """The symbols of one numbering system in one language."""

    decimal: str
    group: str
    percent: str
    plus: str
    minus: str
    digits: str


@cache
def babel_locale(identifier: str) -> Locale:
    from babel import Locale

    return Locale.parse(identifier)


@cache
def numbering_system(identifier: str, digits: Digits) -> str:
    """`latn`, or the language's native system for `native` (`arab` in Arabic)."""
    if digits == "latin":
        return "latn"
    return str(babel_locale(identifier).other_numbering_systems.get("native", "latn"))


@cache
def symbols(identifier: str, system: str) -> Symbols:
    """The language's symbols for `system`; one CLDR leaves out is the Latin one."""
    all_symbols = babel_locale(identifier).number_symbols
    own, latin = all_symbols.get(system) or {}, all_symbols["latn"]

    def symbol(key: str) -> str:
        return without_marks(str(own.get(key) or latin[key]))

    minus = symbol("minusSign").replace("-", MINUS)
    return Symbols(
        symbol("decimal"), symbol("group"), symbol("percentSign"), symbol("plusSign"), minus,
        digits_of(system),
    )  # fmt: skip


@cache
def pattern(identifier: str, kind: str, currency: str | None = None) -> Pattern:
    """The language's own pattern of `kind` (`decimal`, `percent`, `currency`)."""
    locale = babel_locale(identifier)
    formats = {
        "decimal": locale.decimal_formats,
        "percent": locale.percent_formats,
        "currency": locale.currency_formats,
    }[kind]
    source = formats["standard"] if kind == "currency" else formats[None]
    return parse(source.pattern, identifier, currency)


def parse(source: str, identifier: str, currency: str | None = None) -> Pattern:
    from babel.numbers import parse_pattern

    parsed = parse_pattern(source)
    symbol = None
    if currency is not None:
        from babel.numbers import get_currency_symbol

        symbol = get_currency_symbol(currency, babel_locale(identifier))
    prefix, suffix = parsed.prefix, parsed.suffix
    affixes = Affixes(
        (_affix(prefix[0], symbol), _affix(suffix[0], symbol)),
        (_affix(prefix[1], symbol), _affix(suffix[1], symbol)),
    )
    scale = (parsed.number_pattern or "").count("0")
    return Pattern(affixes, (int(parsed.grouping[0]), int(parsed.grouping[1])), scale)


def _affix(text: str, currency: str | None) -> str:
    """Pattern text with its quotes undone and `%` and `¤` marked for the symbols (`%`
    becomes U+E000 until the symbol of the numbering system replaces it)."""
    out: list[str] = []
    quoted = False
    for char in text:
        if char == "'":
            quoted = not quoted
        elif quoted:
            out.append(char)
        elif char == "%":
            out.append("\ue000")
        elif char == "-":
            out.append("\ue001")
        elif char == "\u00a4" and currency is not None:
            out.append(currency)
        else:
            out.append(char)
    return without_marks("".join(out))


@dataclass(frozen=True)
class CompactStep:
    """One magnitude of a language's short compact forms: from `magnitude` on, numbers
    print divided by `divisor` in the pattern chosen by the plural form."""

    magnitude: int
    divisor: int
    forms: dict[str, Pattern]  # by plural form: `other`, `one`, `few`, ... and `1`
    uniform: bool  # every plural form writes the number the same way


@cache
def compact_magnitudes(identifier: str) -> tuple[int, ...]:
    return tuple(step.magnitude for step in compact_steps(identifier))


@cache
def compact_steps(identifier: str) -> tuple[CompactStep, ...]:
    """The short compact forms, smallest magnitude first (`1.2K`, `1,2 M`, `123万`)."""
    table = babel_locale(identifier).compact_decimal_formats["short"]
    steps = []
    for magnitude in sorted(int(m) for m in table["other"]):
        sources = {
            plural: patterns[str(magnitude)].pattern
            for plural, patterns in table.items()
            if str(magnitude) in patterns
        }
        forms = {plural: parse(source, identifier) for plural, source in sources.items()}
        # A bare "0" means no compact form at this magnitude (Chinese 1000 is 1000).
        zeros = forms["other"].scale
        divisor = 1 if sources["other"] == "0" else magnitude // 10 ** (zeros - 1)
        uniform = len(set(forms.values())) == 1
        steps.append(CompactStep(magnitude, divisor, forms, uniform))
    return tuple(steps)


def plural_form(identifier: str, number: object) -> str:
    return str(babel_locale(identifier).plural_form(number))  # type: ignore[arg-type]


def format_date(day: dt.date, identifier: str, form: DateForm, system: str) -> str:
    """`day` in the language's own words and order: `15 décembre 2021`, `2021年12月15日`."""
    from babel.dates import format_date as babel_format_date

    text = without_marks(babel_format_date(day, format=form, locale=babel_locale(identifier)))
    return text.translate(str.maketrans(LATIN_DIGITS, digits_of(system)))
