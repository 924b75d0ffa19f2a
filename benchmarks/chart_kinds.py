"""Time each chart kind: drawing one chart into a recording, on a fresh figure (the
first chart of its kind in a process) and on a pooled one (every later chart), plus
replaying a recording onto a page (what an unchanged chart costs in each edition).

    .venv/bin/python benchmarks/chart_kinds.py [--runs 20]
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHARTS = {
    "bar (grouped)": ("bar", "born", dict(x="year", y="share", series="region")),
    "hbar (stacked)": (
        "hbar",
        "corridors",
        dict(x="region", y="share", series="corridor", stacked=True),
    ),
    "hbar": ("hbar", "ldc", dict(x="region", y="share", where={"measure": "World population"})),
    "line (3 series)": ("line", "trend", dict(x="year", y="migrants", series="region")),
    "area (stacked)": ("area", "trend", dict(x="year", y="migrants", series="region")),
    "donut": ("donut", "corridors", dict(x="corridor", y="share", where={"region": "Global"})),
    "dot": ("dot", "ldc", dict(x="region", y="share", where={"measure": "World population"})),
    "sparkline": ("sparkline", "trend", dict(x="year", y="migrants", where={"region": "Africa"})),
}
FILES = {
    "born": "south_born_share.csv",
    "corridors": "migration_corridors.csv",
    "ldc": "ldc_shares.csv",
    "trend": "showcase_trend.csv",
}


def main() -> None:
    from reportlab.pdfgen.canvas import Canvas

    from factsheet.blocks.chart import chart_data
    from factsheet.blocks.chart_look import chart_look, font_resolver
    from factsheet.charts import kinds
    from factsheet.data.figures import select_rows
    from factsheet.data.formats import format_number
    from factsheet.data.sources import load_table
    from factsheet.spec.model import Chart, Source
    from factsheet.theme import load_theme

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    theme = load_theme("un-blue", ROOT)
    look, fonts = chart_look(theme), font_resolver(theme, "sans")
    size = (240.0, 150.0)
    print(f"{'kind':18s} {'fresh ms':>9s} {'pooled ms':>10s} {'replay ms':>10s}")
    for name, (kind, source, options) in CHARTS.items():
        table = load_table(source, Source(file=f"data/{FILES[source]}"), ROOT)
        chart = Chart(type=kind, source=source, **options)  # type: ignore[arg-type]
        data = chart_data(chart, select_rows(table, chart.where))

        def fmt(v: float, chart: Chart = chart) -> str:
            return format_number(v, chart.format)

        kinds._POOL.clear()
        started = time.perf_counter()
        recording = kinds.chart_recording(chart, data, size, look, fmt, fonts)
        fresh = (time.perf_counter() - started) * 1000
        pooled = []
        for _ in range(args.runs):
            started = time.perf_counter()
            kinds.chart_recording(chart, data, size, look, fmt, fonts)
            pooled.append((time.perf_counter() - started) * 1000)
        canvas = Canvas(io.BytesIO(), initialFontName="Lato-Regular")
        replays = []
        for _ in range(args.runs):
            started = time.perf_counter()
            recording.replay(canvas)
            replays.append((time.perf_counter() - started) * 1000)
        print(
            f"{name:18s} {fresh:9.1f} {statistics.median(pooled):10.1f} "
            f"{statistics.median(replays):10.2f}"
        )


if __name__ == "__main__":
    main()
