"""`factsheet preview`: start the page's server, build, publish what the page shows,
then build again on every save (the watch loop of :mod:`.watch`) until Ctrl-C. The
builds run in the main thread (the per-edition time limit needs it), the server in
its own."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from factsheet.editions.batch import Outcome
from factsheet.editions.run import Options
from factsheet.errors import FactsheetError, UsageError
from factsheet.preview.figures import click_targets
from factsheet.preview.server import Hub, Images, Server, make_app
from factsheet.preview.state import edition_states, keep_last_good, spec_errors
from factsheet.preview.watch import Round, Watcher, counts

Say = Callable[[str], None]


def run_preview(
    specs: Sequence[Path], options: Options, port: int, open_browser: bool, say: Say, err: Say
) -> int:
    watcher = Watcher(specs, options, say, err)
    hub, images = Hub(), Images()
    try:
        server = Server(make_app(hub, images), port)
    except OSError as exc:
        raise UsageError(
            f"--port {port}: cannot listen on 127.0.0.1:{port}: {exc.strerror}",
            hint="choose another port, or 0 for any free one",
        ) from None
    server.start()
    say(f"preview     {server.url}  (Ctrl-C stops)")
    if open_browser:
        import webbrowser

        webbrowser.open(server.url)
    watcher.start()
    try:
        publish(hub, watcher, watcher.build(), [])
        # After the first round (which may build hundreds: the browser asks for what
        # it shows), the pages of what a save rebuilds are rendered as each PDF is
        # written, while the round finishes and the page hears of it.
        warmer = Warmer(images)
        watcher.built = warmer.built
        for changed in watcher.changes():
            warmer.new_round()
            hub.publish({**hub.snapshot(), "building": True})
            round_ = watcher.build(changed, learn=False)
            publish(hub, watcher, round_, hub.snapshot()["editions"])
            watcher.learn_files()  # after the page has the round: it waits for none of it
    except KeyboardInterrupt:
        say("stopped")
    finally:
        watcher.stop()
        hub.close()
        server.stop()
    return 0


def publish(hub: Hub, watcher: Watcher, round_: Round, before: list[dict[str, Any]]) -> None:
    """Turn a round into the page's state and hand it to the server."""
    state, pdfs = page_state(watcher, round_, before, dict(hub.pdfs))
    hub.publish(state, pdfs)


class Warmer:
    """Renders the pages of the first editions each round builds, ahead of the
    browser's request (a save usually rebuilds one)."""

    EDITIONS = 4

    def __init__(self, images: Images) -> None:
        self.images = images
        self.count = 0
        """Editions warmed this round."""

    def new_round(self) -> None:
        self.count = 0

    def built(self, outcome: Outcome) -> None:
        sha = str(outcome.entry.get("pdf_sha256", ""))
        if sha and self.count < self.EDITIONS:
            self.count += 1
            # Read here, before the renders hold PDFium: the page state needs them first
            # (and reads them itself, saying what is wrong, if they cannot be read here).
            with contextlib.suppress(FactsheetError, OSError):
                page_sizes(sha, outcome.job.output)
            pages = range(1, outcome.pages + 1)
            self.images.warm([(sha, n, outcome.job.output) for n in pages])


def page_state(
    watcher: Watcher,
    round_: Round,
    before: list[dict[str, Any]],
    known: dict[str, Path] | None = None,
) -> tuple[dict[str, Any], dict[str, Path]]:
    from factsheet.editions.manifest import manifest_path, read_manifest
    from factsheet.location import display_path

    known = known or {}
    summary = round_.summary
    roots = watcher.roots
    manifests = {}
    for spec in {o.job.spec_path.resolve() for o in summary.outcomes}:
        manifests[spec] = read_manifest(manifest_path(spec))
    editions = edition_states(summary.outcomes, manifests, roots)
    failed_specs = {spec.name for spec, _ in summary.spec_errors}
    editions = keep_last_good(editions, before, failed_specs)
    problems = spec_errors(summary.spec_errors, roots)
    if round_.failure:
        problems += [{"text": round_.failure, "message": round_.failure, "hint": "",
                      "file": "", "line": 0, "col": 0, "context": []}]  # fmt: skip
    pdfs = {o.job.output.resolve(): o for o in summary.outcomes}
    by_sha = {}
    for edition, path in zip(editions, _outputs(editions, pdfs), strict=True):
        if edition["pdf_sha256"] and path is not None:
            by_sha[edition["pdf_sha256"]] = path
    for edition in editions:  # a stale edition still shows its last good pages
        sha = edition["pdf_sha256"]
        if sha and sha not in by_sha and sha in known:
            by_sha[sha] = known[sha]
    records = {spec.name: manifest for spec, manifest in manifests.items()}
    for edition in editions:
        path = by_sha.get(edition["pdf_sha256"])
        if path is None:
            edition["sizes"], edition["boxes"] = [], []
            continue
        edition["sizes"] = page_sizes(edition["pdf_sha256"], path)
        entry = records.get(edition["spec"], {}).get(edition["label"], {})
        if entry.get("pdf_sha256") == edition["pdf_sha256"]:
            edition["boxes"] = click_targets(entry, edition["sizes"])
        edition.setdefault("boxes", [])  # a stale edition keeps those of its last round
    state = {
        "building": False,
        "title": ", ".join(display_path(s) for s in watcher.specs),
        "editions": editions,
        "spec_errors": problems,
        "counts": counts(summary),
        "seconds": round(summary.seconds, 3),
        "changed": [display_path(p) for p in round_.changed],
        "finished": time.strftime("%H:%M:%S"),
    }
    return state, by_sha


def _outputs(editions: list[dict[str, Any]], outcomes: dict[Path, Any]) -> list[Path | None]:
    by_label = {(o.job.spec_path.name, o.job.label): path for path, o in outcomes.items()}
    return [by_label.get((e["spec"], e["label"])) for e in editions]


_SIZES: dict[str, list[tuple[float, float]]] = {}


def page_sizes(sha: str, pdf: Path) -> list[tuple[float, float]]:
    """Each page's width and height in points (the page maps clicks with them)."""
    if sha not in _SIZES:
        from factsheet.review.pages import PDFIUM, open_pdf

        # The page images render in other threads: PDFium is used by one at a time.
        with PDFIUM:
            document = open_pdf(pdf)
            try:
                _SIZES[sha] = [tuple(document.get_page_size(i)) for i in range(len(document))]
            finally:
                document.close()
    return _SIZES[sha]
