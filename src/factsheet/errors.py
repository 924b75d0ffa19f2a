"""The one exception root and its family. Leaf checks raise a bare message; callers
attach a :class:`~factsheet.location.Location` on the way up (as Click's
``augment_usage_errors`` does). Each class carries the process exit code the CLI uses,
so ``factsheet`` can print ``Error: ...`` and exit meaningfully with no traceback."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from factsheet.location import Location


class FactsheetError(Exception):
    """Root of every error the tool reports to a user."""

    exit_code = 1

    def __init__(self, message: str, location: Location | None = None, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def located(self, location: Location) -> FactsheetError:
        """Attach a location unless a more precise one is already known."""
        if self.location is None or (self.location.file is None and location.file is not None):
            self.location = location
        return self

    def __str__(self) -> str:
        text = self.message
        if self.hint:
            text += f" ({self.hint})"
        if self.location is not None and str(self.location):
            return f"{self.location}: {text}"
        return text


class UsageError(FactsheetError):
    """The command line itself is wrong."""

    exit_code = 2


class SpecError(FactsheetError):
    """The spec, a theme or data is invalid (EX_DATAERR)."""

    exit_code = 65


class DataError(SpecError):
    """A data source or a figure computed from it is invalid."""


class TemplateError(SpecError):
    """A text template cannot be rendered."""


class LayoutError(SpecError):
    """Content does not fit its page budget or frame."""


class MissingInputError(FactsheetError):
    """A spec, data file, image, font or theme does not exist (EX_NOINPUT)."""

    exit_code = 66


class OutputError(FactsheetError):
    """The output cannot be written (EX_IOERR)."""

    exit_code = 74


class ErrorGroup(FactsheetError):
    """Several problems found in one pass, reported together and sorted."""

    def __init__(self, errors: Sequence[FactsheetError]) -> None:
        self.errors = sorted(errors, key=_sort_key)
        super().__init__(f"{len(self.errors)} problems")
        self.exit_code = max((e.exit_code for e in self.errors), default=1)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)

    def located(self, location: Location) -> FactsheetError:
        """Attach `location` to each problem that has none more precise."""
        self.errors = [error.located(location) for error in self.errors]
        return self


def _sort_key(error: FactsheetError) -> tuple[str, int, int]:
    loc = error.location or Location()
    return (str(loc.file or ""), loc.line or 0, loc.column or 0)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint such as ``did you mean 'share'?`` or an empty string."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else ""
