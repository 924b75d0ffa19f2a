"""Every problem of an edition, found in one pass: :class:`Problems` collects located
errors instead of stopping at the first, :func:`locate` pins an error to its spec line,
and the rules of what to skip, so that each problem is reported once, at its cause: a
part with a problem of its own in the spec (:func:`has_problem`), or a block reading a
source or figure that failed (:func:`depends_on_failure`), is left out quietly.
:func:`rendered` fills a model's value templates into a copy, recording each failure at
its own field."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel

from factsheet.errors import ErrorGroup, FactsheetError
from factsheet.location import KeyPath
from factsheet.spec.templates import Found, check_texts, references, render_values
from factsheet.spec.validate import LoadedSpec
from factsheet.text import Dependent, Templates

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


class Problems:
    """Collects located errors so one pass reports all of them."""

    def __init__(self, loaded: LoadedSpec) -> None:
        self.loaded = loaded
        self.errors: list[FactsheetError] = []
        self.failures = 0  # steps that failed, those whose cause is reported elsewhere too

    def attempt(self, path: KeyPath, step: Callable[..., T], *args: Any) -> T | None:
        """Run `step(*args)`; on a user error, remember it located at `path` and
        return None, so one pass reports every problem. An error that only follows
        from one already reported (:class:`~factsheet.text.Dependent`) is dropped."""
        try:
            return step(*args)
        except FactsheetError as exc:
            self.failures += 1
            self.add(locate(exc, self.loaded, path))
            return None

    def add(self, error: FactsheetError) -> None:
        if isinstance(error, ErrorGroup):
            for inner in error.errors:
                self.add(inner)
        elif not isinstance(error, Dependent):
            self.errors.append(error)

    def raise_if_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise ErrorGroup(self.errors)


def locate(error: FactsheetError, loaded: LoadedSpec, path: KeyPath = ()) -> FactsheetError:
    """Give `error` a spec file location if it has none (or only a key path)."""
    if isinstance(error, ErrorGroup):
        error.errors = [locate(e, loaded, path) for e in error.errors]
        return error
    if error.location is None or error.location.file is None:
        key_path = error.location.key_path if error.location and error.location.key_path else path
        error.location = loaded.source_map.locate(key_path)
    return error


def rendered(
    model: M,
    templates: Templates,
    path: KeyPath,
    problems: Problems,
    found: list[Found] | None = None,
) -> M | None:
    """A copy of `model` with its value templates rendered, after the text templates
    among `found` (its `texts`) are checked; None when any of them fails (each problem
    is recorded at its field)."""
    failures = problems.failures
    if found is not None:
        check_texts(found, problems.attempt, templates.render)
        if not any(_renders_first(item) for item in found):
            return model if problems.failures == failures else None  # nothing to fill in
    copy = render_values(model, problems.attempt, templates.render_value, path)
    return copy if problems.failures == failures else None


def _renders_first(item: Found) -> bool:
    """A value template rendered before its block is built."""
    rule = item.rule
    return rule.kind == "value" and rule.when == "block" and not item.key


def has_problem(loaded: LoadedSpec, path: KeyPath) -> bool:
    """Whether a problem the spec already has lies at or under `path`."""
    depth = len(path)
    return any(
        e.location is not None and tuple(e.location.key_path[:depth]) == path
        for e in loaded.problems
    )


def depends_on_failure(
    loaded: LoadedSpec,
    tables: Mapping[str, object],
    figures: Mapping[str, object],
    found: list[Found],
    path: KeyPath,
) -> bool:
    """Whether a block reads a source or figure that failed, or has a problem of its own
    in the spec: such a block is skipped, since its cause is reported."""
    if has_problem(loaded, path[:4]):
        return True
    for what, name, _ in references(None, path, found):
        if (what == "source" and name not in tables) or (what == "figure" and name not in figures):
            return True
    return False
