"""Which country a map key means. A key is an ISO 3166-1 alpha-3 or alpha-2 code, or a
country's name as pycountry (ISO 3166-1), Natural Earth or the shipped aliases
(`maps/aliases.csv`, names the World Bank, Gapminder, the UN and others use) write it.
Keys are compared after :func:`normalise` (case, accents and punctuation), never by
similarity: a key either names one country or it is a problem: unknown (with a
did-you-mean), ambiguous, a regional aggregate such as "World" or "High income"
(`maps/aggregates.csv` and Natural Earth's region names), or a former country. Also the
table of countries every map draws from (`maps/countries.csv`, made by
scripts/make_country_table.py): names, a point inside each country, its regions, and
whether the 1:110m shapes draw it. Pure and cached per process; no matplotlib."""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Literal

MAPS = Path(__file__).resolve().parent.parent / "maps"
WORLD = "World"
SUGGESTED = 25  # unknown keys that get a did-you-mean (each costs a scan of every name)

ProblemKind = Literal["unknown", "ambiguous", "aggregate", "former"]


@dataclass(frozen=True)
class Country:
    """One row of `maps/countries.csv`."""

    iso3: str
    iso2: str
    names: Mapping[str, str]  # by language: en, fr, es
    point: tuple[float, float]  # longitude, latitude of a point inside the country
    regions: tuple[str, str, str]  # continent, UN region, UN subregion (Natural Earth's)
    shape: bool  # drawn by the 1:110m shapes (else only a dot marks it)
    other_names: tuple[str, ...]  # Natural Earth's other name fields

    @property
    def name(self) -> str:
        return self.names["en"]

    def label(self, language: str) -> str:
        """The name in a document's language (English when the table has none)."""
        base = language.replace("_", "-").split("-", 1)[0].lower()
        return self.names.get(base) or self.name


@dataclass(frozen=True)
class KeyProblem:
    """A key that names no single country. `detail` is the suggested name (unknown),
    the candidates (ambiguous) or the former country's ISO name (former)."""

    key: str
    kind: ProblemKind
    detail: str = ""


@dataclass(frozen=True)
class Resolution:
    """For each key its ISO3 code (None for a problem key), and the problems, one per
    distinct key, in the order first seen."""

    codes: tuple[str | None, ...]
    problems: tuple[KeyProblem, ...]


def normalise(text: str) -> str:
    """A key as compared: accents and case dropped, `&` read as `and`, apostrophes and
    full stops removed, other punctuation as spaces: "Côte d’Ivoire" → "cote divoire",
    "U.S." → "us", "Congo, Dem. Rep." → "congo dem rep"."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = _DROPPED.sub("", text.casefold().replace("&", " and "))
    return " ".join(_SPACED.sub(" ", plain).split())


_DROPPED = re.compile(r"['’‘`´.]")
_SPACED = re.compile(r"[\W_]+")


@lru_cache(maxsize=1)
def countries() -> Mapping[str, Country]:
    """Every country and territory a map knows, by ISO3 code."""
    found = {}
    with (MAPS / "countries.csv").open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            found[row["iso3"]] = Country(
                iso3=row["iso3"],
                iso2=row["iso2"],
                names=MappingProxyType(
                    {"en": row["name"], "fr": row["name_fr"], "es": row["name_es"]}
                ),
                point=(float(row["lon"]), float(row["lat"])),
                regions=(row["continent"], row["region_un"], row["subregion"]),
                shape=row["shape"] == "1",
                other_names=tuple(n for n in row["names"].split("|") if n),
            )
    return MappingProxyType(found)


def _table(name: str) -> list[dict[str, str]]:
    with (MAPS / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def aliases() -> list[dict[str, str]]:
    """The shipped aliases: name, iso3 and who uses the name."""
    return _table("aliases.csv")


def aggregate_names() -> list[dict[str, str]]:
    """The shipped names of regional aggregates: name and who uses it."""
    return _table("aggregates.csv")


@lru_cache(maxsize=1)
def _regions() -> Mapping[str, tuple[str, frozenset[str]]]:
    """Normalised region name → (the name, ISO3 codes of its countries)."""
    members: dict[str, set[str]] = defaultdict(set)
    names = {normalise(WORLD): WORLD}
    for country in countries().values():
        for region in country.regions:
            key = normalise(region)
            names.setdefault(key, region)
            members[key].add(country.iso3)
    members[normalise(WORLD)] = set(countries())
    return MappingProxyType({k: (names[k], frozenset(members[k])) for k in sorted(names)})


def regions() -> list[str]:
    """Region names a map can zoom to: Natural Earth's continents, UN regions and
    subregions, and "World"."""
    return [name for name, _ in _regions().values()]


def region_members(name: str) -> frozenset[str] | None:
    """ISO3 codes of the countries in a region (None for a name that is no region)."""
    found = _regions().get(normalise(name))
    return None if found is None else found[1]


@dataclass(frozen=True)
class _Index:
    codes: Mapping[str, str]  # normalised key → ISO3
    ambiguous: Mapping[str, str]  # normalised key → its candidates, as text
    aggregates: frozenset[str]
    former: Mapping[str, str]  # normalised key → the former country's ISO name
    shown: Mapping[str, str]  # normalised name → a name as written, for did-you-mean


@lru_cache(maxsize=1)
def _index() -> _Index:
    import pycountry

    claims: dict[str, set[str]] = defaultdict(set)
    shown: dict[str, str] = {}

    def claim(text: str | None, code: str) -> None:
        key = normalise(text or "")
        if key:
            claims[key].add(code)
            shown.setdefault(key, text or "")

    for country in countries().values():
        for text in (country.iso3, country.iso2, *country.names.values(), *country.other_names):
            claim(text, country.iso3)
    for entry in pycountry.countries:
        for field in ("alpha_3", "alpha_2", "name", "official_name", "common_name"):
            claim(getattr(entry, field, None), entry.alpha_3)
    codes = {k: next(iter(v)) for k, v in claims.items() if len(v) == 1}
    ambiguous = {k: _candidates(v) for k, v in claims.items() if len(v) > 1}
    chosen = set()
    for alias in aliases():
        key = normalise(alias["name"])
        codes[key] = alias["iso3"]
        ambiguous.pop(key, None)
        chosen.add(key)
    aggregates = {normalise(a["name"]) for a in aggregate_names()}
    for key, (region, members) in _regions().items():
        if len(members) > 1 or codes.get(key) not in members:  # Antarctica is one country
            aggregates.add(key)
        if key in codes and key not in chosen and len(members) > 1:
            ambiguous[key] = f"{_candidates({codes.pop(key)})} or the region {region}"
    former = {}
    for entry in pycountry.historic_countries:
        for text in (entry.name, entry.name.split(",")[0], entry.alpha_3):
            key = normalise(text)
            if key not in codes and key not in ambiguous and key not in aggregates:
                former[key] = entry.name
    names = {k: v for k, v in shown.items() if k in codes and len(k) > 3}
    return _Index(codes, ambiguous, frozenset(aggregates), former, names)


def _candidates(codes: Iterable[str]) -> str:
    table = countries()
    named = [f"{table[c].name} ({c})" if c in table else c for c in sorted(codes)]
    return " or ".join(named)


def resolve(keys: Iterable[str]) -> Resolution:
    """The ISO3 code each key names, and the keys that name no single country."""
    index = _index()
    codes: list[str | None] = []
    problems: dict[str, KeyProblem] = {}
    suggested = 0
    for key in keys:
        norm = normalise(key)
        code = index.codes.get(norm)
        codes.append(code)
        if code is not None or key in problems:
            continue
        if norm in index.ambiguous:
            problems[key] = KeyProblem(key, "ambiguous", index.ambiguous[norm])
        elif norm in index.aggregates:
            problems[key] = KeyProblem(key, "aggregate")
        elif norm in index.former:
            problems[key] = KeyProblem(key, "former", index.former[norm])
        else:
            suggested += 1
            hint = _suggest(norm, index) if suggested <= SUGGESTED else ""
            problems[key] = KeyProblem(key, "unknown", hint)
    return Resolution(tuple(codes), tuple(problems.values()))


def _suggest(norm: str, index: _Index) -> str:
    """The closest known name, as 'Name (ISO3)', for a key that is not a code."""
    if len(norm) <= 3:
        return ""  # a mistyped code is as close to a dozen codes as to the one meant
    close = difflib.get_close_matches(norm, index.shown.keys(), n=1, cutoff=0.75)
    if not close:
        return ""
    return f"{index.shown[close[0]]} ({index.codes[close[0]]})"
