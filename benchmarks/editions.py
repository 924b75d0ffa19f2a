"""Throughput of batch builds: N editions of the demo (its regions repeated under
synthetic names), built with --jobs 1 and --jobs 2, a no-change rebuild, and the memory
of one worker over many editions.

    .venv/bin/python benchmarks/editions.py [--editions 60] [--long 500]

Reports editions per second and per-edition latency for each job count (total wall
time of the command, and the build alone, without interpreter start-up and imports),
the no-change rebuild time, peak RSS per worker, and RSS sampled every 50 editions of a
single long-running worker.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def user_environment() -> dict[str, str]:
    """This environment as a user's would be: Python may cache compiled bytecode
    (a sandbox that forbids it makes every start-up compile the package again)."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


REGIONS = [
    "Africa",
    "Americas",
    "Asia and the Pacific",
    "Europe and Central Asia",
    "Middle East and North Africa",
]


def synthetic_project(folder: Path, count: int) -> Path:
    """A copy of the demo whose matrix has `count` synthetic regions."""
    for name in ("assets", "data", "factsheets"):
        shutil.copytree(ROOT / name, folder / name)
    names = [f"Region {n:03d}" for n in range(count)]
    for path in (folder / "data").glob("*.csv"):
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
        if "region" not in rows[0]:
            continue  # not read by the 2021 spec (the showcase's data)
        extra = []
        for n, name in enumerate(names):
            model = REGIONS[n % len(REGIONS)]
            extra += [{**row, "region": name} for row in rows if row["region"] == model]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows + extra)
        path.write_text(out.getvalue(), encoding="utf-8")
    spec_path = folder / "factsheets" / "2021.yaml"
    text = spec_path.read_text(encoding="utf-8")
    spec = yaml.safe_load(text)
    # The demo's own regions stay (its overrides name them, and an override that
    # matches no edition is an error); synthetic ones make up the rest.
    real = spec["editions"]["matrix"]["region"]
    spec["editions"]["matrix"]["region"] = (real + names)[: max(count, len(real))]
    spec_path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False))
    return spec_path


def run(spec: Path, *args: str, cache: Path) -> tuple[float, float]:
    """Wall time of the command and the build time it reports, with this build cache."""
    exe = Path(sys.executable).with_name("factsheet")
    started = time.perf_counter()
    done = subprocess.run(
        [str(exe), "build", str(spec), *args],
        env={**user_environment(), "FACTSHEET_CACHE_DIR": str(cache)},
        cwd=spec.parent.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - started
    match = re.search(r"in ([0-9.]+) s$", done.stdout.strip())
    return wall, float(match.group(1)) if match else wall


def worker_peaks(spec: Path) -> str:
    """Build every edition with two forked workers; each job reports its process's peak."""
    from factsheet.editions.batch import Job, run_jobs
    from factsheet.editions.expanded import editions_of

    os.environ["FACTSHEET_CACHE"] = "off"  # every edition made in full

    jobs = [Job(e.spec_path, e.index, e.label, e.output, True) for e in editions_of(spec)]
    outcomes = run_jobs(jobs, 2, lambda outcome, running: None)
    parent = outcomes[0].peak_rss_mib  # the first edition is built before forking
    workers = max(o.peak_rss_mib for o in outcomes[1:])
    return f"workers {workers:.0f} MiB, parent {parent:.0f} MiB"


def long_worker(spec: Path, count: int) -> list[tuple[int, float]]:
    """Build `count` editions in this process, as one worker does (`--jobs 1`); RSS
    (MiB) after every 50 editions."""
    from factsheet.editions.batch import Job, run_jobs
    from factsheet.editions.expanded import editions_of

    editions = [editions_of(spec)[n % len(editions_of(spec))] for n in range(count)]
    jobs = [Job(e.spec_path, e.index, e.label, e.output, True) for e in editions]
    samples = []

    def sample(outcome: object, running: object) -> None:
        if (len(samples) + 1) * 50 <= len(done) + 1:
            samples.append((len(done) + 1, _rss_mib()))
        done.append(outcome)

    done: list[object] = []
    run_jobs(jobs, 1, sample)
    return samples


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--editions", type=int, default=60)
    parser.add_argument("--long", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        spec = synthetic_project(Path(tmp), args.editions)
        n = args.editions
        primed = Path(tmp) / "primed-cache"
        # Empty build cache: every chart drawn and table parsed (a first build). Primed:
        # the same editions forced again, as after a text edit.
        for label, fresh in (("empty cache", True), ("primed cache", False)):
            for jobs in (1, 2):
                cache = Path(tempfile.mkdtemp(dir=tmp)) if fresh else primed
                wall, build = run(spec, "--jobs", str(jobs), "--force", cache=cache)
                if fresh and jobs == 2:
                    shutil.copytree(cache, primed)
                peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
                print(
                    f"{label}, --jobs {jobs}: {n} editions in {wall:.2f} s wall, "
                    f"{build:.2f} s building: {n / wall:.1f}/s wall, {n / build:.1f}/s "
                    f"building, {build / n * 1000 * jobs:.0f} ms per edition per worker; "
                    f"peak RSS so far {peak:.0f} MiB"
                )
        wall, build = run(spec, "--jobs", "2", cache=primed)
        print(f"no-change rebuild of {n}: {wall:.2f} s wall, {build:.2f} s beyond start-up")
        print(f"peak RSS of each worker (--jobs 2, in one process): {worker_peaks(spec)}")
        samples = long_worker(spec, args.long)
        shown = ", ".join(f"{k}: {v:.0f}" for k, v in samples)
        print(f"one worker over {args.long} editions, RSS MiB after each 50: {shown}")


if __name__ == "__main__":
    main()
