"""Rebuild on save. A :class:`Watcher` builds the specs once, then waits for a
change to any file the build read (specs and their bases, data files, the theme's
files, images) and builds again; the build's own up-to-date check skips every edition
whose inputs did not change, so a save rebuilds only the editions it affects. Spec
expansion is cached per spec file (see :func:`factsheet.editions.expanded.editions_of`),
and a matrix drawn from a data column depends on that data too, so every change drops
the cached expansion before the next build. While the last expansion failed (no
inputs known), any file of the project that is not an output counts as an input."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factsheet.editions.batch import BUILT, FAILED, UP_TO_DATE, Outcome
from factsheet.editions.run import Options, Summary
from factsheet.errors import FactsheetError

IGNORED_FOLDERS = frozenset(
    {".git", ".venv", "venv", "node_modules", "__pycache__", ".factsheet-cache", "approved"}
)
"""Folders whose files never start a build (version control, caches, approved sets)."""

DEBOUNCE_MS = 10
"""How long a burst of file events (an editor's save) is gathered into one build."""


@dataclass
class Round:
    """One build the watcher ran: its summary, the files that started it, and when."""

    summary: Summary
    changed: tuple[Path, ...] = ()
    started: float = field(default_factory=time.time)
    failure: str = ""
    """A problem the build raised as a whole (a lock held by another build, ...)."""


class QuietReporter:
    """The per-edition lines of a build, less the editions that were up to date (a
    save usually rebuilds one edition of many), then the problems and the summary.
    `built` hears of each edition as soon as its PDF is written."""

    def __init__(
        self,
        say: Callable[[str], None],
        err: Callable[[str], None],
        built: Callable[[Outcome], None] | None = None,
    ) -> None:
        self.say, self.err, self.built = say, err, built

    def __enter__(self) -> QuietReporter:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def progress(self, outcome: Outcome, running: Sequence[str]) -> None:
        from factsheet.report import outcome_line

        if outcome.status != UP_TO_DATE:
            self.say(outcome_line(outcome))
        if outcome.status == BUILT and self.built is not None:
            self.built(outcome)

    def finish(self, summary: Summary) -> None:
        from factsheet.editions.run import describe_spec_error
        from factsheet.report import grouped_problems, summary_line

        for line in grouped_problems(summary):
            self.err(line)
        for _, error in summary.spec_errors:
            for line in describe_spec_error(error).splitlines():
                self.err(f"Error: {line}")
        self.say(summary_line(summary))


class Watcher:
    """Builds `specs` and knows which files their editions read."""

    def __init__(
        self,
        specs: Sequence[Path],
        options: Options,
        say: Callable[[str], None],
        err: Callable[[str], None],
    ) -> None:
        self.specs = [Path(spec) for spec in specs]
        self.options = options
        self.say, self.err = say, err
        self.built: Callable[[Outcome], None] | None = None
        """Told of each edition a round builds, as soon as its PDF is written."""
        self.inputs: set[Path] = set()
        self.outputs: set[Path] = set()
        self.spec_files: set[Path] = set()
        self._learned: list[int] = []
        self.roots = sorted({_root_of(spec) for spec in self.specs})

    def build(self, changed: Iterable[Path] = (), learn: bool = True) -> Round:
        """One build of every spec (unchanged editions are skipped); never raises for
        a user's mistake: it is in the round's summary or `failure`. With `learn`
        false, the caller calls :meth:`learn_files` itself, once it has shown the
        round (the files only matter when the next change comes)."""
        from factsheet.editions import expanded
        from factsheet.editions.run import build_all

        if self.expansion_changed(changed):
            expanded.forget()
        round_ = Round(Summary(), tuple(changed))
        try:
            round_.summary = build_all(self.specs, self.options, self._reporter)
        except FactsheetError as exc:
            round_.failure = str(exc)
            for line in str(exc).splitlines():
                self.err(f"Error: {line}")
        if learn:
            self.learn_files()
        return round_

    def expansion_changed(self, changed: Iterable[Path]) -> bool:
        """Whether a change may alter the editions themselves beyond what the spec
        files' own cache check sees: a matrix drawn from a data column, data values
        shown translated. Any changed file that is not a spec file (or catalog) counts."""
        return any(Path(path).resolve() not in self.spec_files for path in changed)

    def _reporter(self, total: int, check_only: bool) -> QuietReporter:
        return QuietReporter(self.say, self.err, self.built)

    def learn_files(self) -> None:
        """The files the specs' editions read, and the files the build writes."""
        from factsheet.editions.bundle import build_inputs
        from factsheet.editions.expanded import known_editions
        from factsheet.editions.manifest import manifest_path

        inputs: set[Path] = set()
        outputs: set[Path] = set()
        spec_files: set[Path] = set()
        known = True
        expanded: list[list[Any]] = []
        for spec in self.specs:
            inputs.add(spec.resolve())
            spec_files.add(spec.resolve())
            outputs.add(manifest_path(spec.resolve()))
            try:
                expanded.append(known_editions(spec))
            except FactsheetError:
                known = False
        learned = [id(editions) for editions in expanded]
        if known and learned == self._learned:
            return  # the same expansions (cached) as the last time: the same files
        for editions in expanded:
            inputs |= set(build_inputs(editions))
            spec_files |= {path.resolve() for e in editions for path, _, _ in e.spec_files}
            outputs |= {edition.output.resolve() for edition in editions}
        self.inputs = inputs if known else set()
        self.outputs, self.spec_files = outputs, spec_files
        self._learned = learned if known else []

    def relevant(self, path: Path) -> bool:
        """Whether a change to `path` should start a build."""
        path = Path(path).resolve()
        if self.inputs:
            return path in self.inputs
        if path in self.outputs or path.suffix in {".pdf", ".tmp", ".swp", ".lock"}:
            return False
        parts = set(path.parts)
        return not (parts & IGNORED_FOLDERS) and not path.name.startswith((".", "~"))

    def start(self) -> None:
        """Start watching, before the first build, so that a save made while a build
        runs is seen when it ends (the events wait in a queue)."""
        import queue
        import threading

        self._queue: queue.Queue[set[Path]] = queue.Queue()
        self._stop = threading.Event()
        threading.Thread(target=self._pump, name="factsheet-watch", daemon=True).start()

    def _pump(self) -> None:
        import watchfiles

        for batch in watchfiles.watch(
            *self.roots,
            debounce=DEBOUNCE_MS * 2,
            step=DEBOUNCE_MS,
            stop_event=self._stop,
            watch_filter=None,
            raise_interrupt=False,
            rust_timeout=500,
            yield_on_timeout=False,
        ):
            self._queue.put({Path(p) for _, p in batch})

    def stop(self) -> None:
        self._stop.set()

    def changes(self) -> Iterable[list[Path]]:
        """Each burst of saves to the build's inputs, as the files changed (Ctrl-C
        ends it with KeyboardInterrupt)."""
        import queue

        while True:
            try:
                paths = self._queue.get(timeout=0.25)
            except queue.Empty:
                continue
            while not self._queue.empty():
                paths |= self._queue.get_nowait()
            changed = sorted(p for p in paths if self.relevant(p))
            if changed:
                yield changed


def _root_of(spec: Path) -> Path:
    from factsheet.spec.validate import project_root

    return project_root(spec.resolve())


def run_watch(specs: Sequence[Path], options: Options, say: Callable[[str], None],
              err: Callable[[str], None]) -> int:  # fmt: skip
    """`factsheet watch`: build, then build again on every save until Ctrl-C."""
    from factsheet.location import display_path

    watcher = Watcher(specs, options, say, err)
    watcher.start()
    watcher.build()
    say(f"watching    {', '.join(display_path(r) for r in watcher.roots)}  (Ctrl-C stops)")
    try:
        for changed in watcher.changes():
            names = ", ".join(display_path(p) for p in changed[:3])
            more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
            say(f"changed     {names}{more}")
            watcher.build(changed)
    except KeyboardInterrupt:
        say("stopped")
    finally:
        watcher.stop()
    return 0


def counts(summary: Summary) -> dict[str, int]:
    """Editions built, up to date and failed in a round (for the page and tests)."""
    return {
        "built": summary.count(BUILT),
        "up_to_date": summary.count(UP_TO_DATE),
        "failed": summary.count(FAILED) + len(summary.spec_errors),
    }
