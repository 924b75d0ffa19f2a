"""Time of `--bundle`: the bundle step alone (merging the editions' PDFs that are
already built) and a whole `factsheet build SPEC --bundle` of the demo's gapminder
editions, in a copy of the demo project.

    .venv/bin/python benchmarks/bundle.py [--spec factsheets/gapminder.yaml] [--runs 5] [--builds 1]

Reports the bundle step's median and best time over `--runs`, its page count and
size, and the wall time of `--builds` forced builds with `--bundle` (the command as a
user runs it, start-up included).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FACTSHEET = Path(sys.executable).parent / "factsheet"


def bundle_step(project: Path, spec: str, runs: int) -> tuple[list[float], int, int]:
    """Seconds per run of write_bundle over the spec's built editions, pages, bytes."""
    from factsheet.editions.batch import BUILT, Job, Outcome
    from factsheet.editions.expand import load_editions

    spec_path = project / spec
    outcomes = []
    for index, edition in enumerate(load_editions(spec_path)):
        job = Job(spec_path=spec_path, index=index, label=edition.label, output=edition.output)
        outcomes.append(Outcome(job=job, status=BUILT, entry={"keys": dict(edition.keys)}))
    from factsheet.editions.bundle import write_bundle

    target = project / "output" / "bench-bundle.pdf"
    times, pages = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        result = write_bundle(target, outcomes, project)
        times.append(time.perf_counter() - started)
        pages = result if isinstance(result, int) else result.pages  # before and after issue 11
    return times, pages, target.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", default="factsheets/gapminder.yaml")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of the bundle step")
    parser.add_argument("--builds", type=int, default=1, help="timed forced builds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        for name in ("assets", "data", "factsheets"):
            shutil.copytree(ROOT / name, project / name)
        (project / "output").mkdir()
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        command = [str(FACTSHEET), "build", args.spec, "--force", "--bundle", "output/all.pdf"]
        walls = []
        for _ in range(max(args.builds, 1)):
            started = time.perf_counter()
            subprocess.run(command, cwd=project, env=env, check=True, capture_output=True)
            walls.append(time.perf_counter() - started)
        old = Path.cwd()
        os.chdir(project)
        try:
            times, pages, size = bundle_step(project, args.spec, args.runs)
        finally:
            os.chdir(old)
    print(f"bundle step   median {statistics.median(times) * 1000:7.1f} ms   "
          f"best {min(times) * 1000:7.1f} ms   ({args.runs} runs, {pages} pages, "
          f"{size / 1024:.0f} KiB)")  # fmt: skip
    print(f"build+bundle  median {statistics.median(walls):7.2f} s    "
          f"best {min(walls):7.2f} s    ({len(walls)} forced builds of {args.spec})")  # fmt: skip


if __name__ == "__main__":
    main()
