"""Reading a CSV file: its bytes decoded, its separator found, and its records split
into stripped cells by the standard library's `csv` module, each with the file line it
starts on (a quoted cell may span lines; blank lines count). This module owns what can
go wrong before a cell is typed, each as a located error: bytes that are not UTF-8 text,
NUL bytes, a row wider than the header line (a note above the header is named), a
quote that is never closed, and text after a closing quote (`"Côte d"Ivoire"`, which a
lenient reader would silently glue into `Côte dIvoire"`). A row narrower than the
header is padded with empty cells; spaces after a closing quote are allowed."""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factsheet.data.sources import MAX_BYTES
from factsheet.errors import DataError
from factsheet.location import Location
from factsheet.security import CONTROL, escape_controls


@dataclass(frozen=True)
class Records:
    """A CSV file's header cells and the columns of its rows that are not blank, all
    stripped (short rows padded to the header's width), with the line each row starts on."""

    header: list[str]
    columns: list[Sequence[str]]
    lines: Sequence[int]
    separator: str
    quoted: bool  # whether the file has quotes (only then may a cell hold a separator)
    clean: bool = False  # True: no cell holds a control character (the file has none)


def read_csv(path: Path, display: str) -> Records:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(
            f"data file '{display}' cannot be read", location=Location(file=path), hint=str(exc)
        ) from exc
    text = _decode(data, path, display)
    separator = _separator(text)
    if not text[: _end(_FIRST_LINE, text, 0)].strip():
        raise DataError(
            "line 1 is empty, but the first line must name the columns",
            location=Location(file=path, line=1),
            hint="delete the empty lines above the header",
        )
    if '"' not in text and text.count("\r") == text.count("\r\n"):
        # No quotes and no old Mac line ends: each line is a row, and a separator
        # always ends a cell, as the csv module would read it.
        plain = _plain(text.replace("\r\n", "\n") if "\r" in text else text, separator)
        if plain is not None:
            return plain
    return _general(text, separator, path, display)


def _plain(text: str, separator: str) -> Records | None:
    """The rows of a file whose lines all hold as many separators as the header, or
    None. All of it is split at once (the fast way for the common file)."""
    body = text[:-1] if text.endswith("\n") else text
    lines = body.split("\n")
    width = lines[0].count(separator) + 1
    if set(map(operator.methodcaller("count", separator), lines)) != {width - 1}:
        return None  # ragged or blank lines: read them one by one
    cells = body.replace("\n", separator).split(separator)
    header = [cell.strip() for cell in cells[:width]]
    columns: list[Sequence[str]] = [
        list(map(str.strip, cells[width + at :: width])) for at in range(width)
    ]
    starts: Sequence[int] = range(2, len(lines) + 1)
    # A row is blank when its cells are all spaces (a blank line, in a one-column file).
    filled = list(map(str.strip, map(operator.methodcaller("replace", separator, ""), lines[1:])))
    if not all(filled):
        columns = [list(itertools.compress(column, filled)) for column in columns]
        starts = list(itertools.compress(starts, filled))
    clean = CONTROL.search(text) is None
    return Records(header, columns, starts, separator, False, clean)


def _general(text: str, separator: str, path: Path, display: str) -> Records:
    """The rows of any file, read by the csv module: quoted cells, ragged rows, blank
    lines, old Mac line ends."""
    # A cell may be as long as the file (the csv module's default cap is 128 KiB).
    if csv.field_size_limit() < MAX_BYTES:
        csv.field_size_limit(MAX_BYTES)
    quoted = '"' in text
    refused: DataError | None = None
    try:
        # Strict, a quote out of place stops the reader: the file is read again, record
        # by record, to say where (rare: most files are well formed).
        records = list(_reader(text, separator, strict=quoted))
        starts = _starts(text, len(records), separator)
    except csv.Error:
        try:
            starts, records, refused = _checked(text, separator, path)
        except csv.Error as exc:  # not expected: every error above has its own message
            raise DataError(
                f"data file '{display}' cannot be read as CSV",
                location=Location(file=path),
                hint=str(exc),
            ) from exc
    if not records and refused is not None:
        raise refused
    read = _table(records, starts, path, text.split("\n", 1)[0], separator, quoted)
    read = dataclasses.replace(read, clean=CONTROL.search(text) is None)
    if refused is not None:  # after any error in the rows above it
        raise refused
    return read


def _reader(text: str, separator: str, *, strict: bool = False) -> Any:
    return csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=strict)


def _starts(text: str, count: int, separator: str) -> Sequence[int]:
    """The line each of the `count` records of `text` starts on: record n is on line n,
    unless a quoted cell holds a line break."""
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    if breaks + (not text.endswith(("\n", "\r"))) == count:
        return range(1, count + 1)
    reader = _reader(text, separator)
    starts = []
    end = 0
    for _ in reader:
        starts.append(end + 1)
        end = reader.line_num
    return starts


def _checked(
    text: str, separator: str, path: Path
) -> tuple[list[int], list[list[str]], DataError | None]:
    """The records read leniently up to the first whose quotes are out of place, with
    the line each starts on, and the error for that record."""
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(iter(lines), delimiter=separator)
    starts: list[int] = []
    records: list[list[str]] = []
    end = 0
    for record in reader:
        start, end = end + 1, reader.line_num
        raw = "".join(lines[start - 1 : end])
        if '"' in raw and (error := _check_quotes(raw, separator, start, path)) is not None:
            return starts, records, error
        starts.append(start)
        records.append(record)
    return starts, records, None


def _check_quotes(raw: str, separator: str, start: int, path: Path) -> DataError | None:
    """The error for a record (its text from line `start`) with a quote that is never closed,
    or with text after a closing quote other than spaces (which stripping removes)."""
    sep = re.escape(separator)
    unquoted = re.compile(f"[^{sep}\r\n]*")  # a quote inside it is text
    spaces = re.compile(f"[^\\S\r\n{sep}]*")
    position = 0
    while True:
        if raw.startswith('"', position):
            closed = _QUOTED.match(raw, position)
            if closed is None:
                return _quote_error(
                    "this quote opens a cell that is never closed: the rest of the file "
                    "would be read into it",
                    "close the quote; inside quotes, write a quote that is part of the "
                    'text twice ("")',
                    raw,
                    position,
                    start,
                    path,
                )
            end = _end(spaces, raw, closed.end())
            if end < len(raw) and raw[end] not in (separator, "\r", "\n"):
                cell = raw[position : _end(unquoted, raw, end)]
                shown = cell if len(cell) <= 40 else cell[:39] + "\u2026"
                return _quote_error(
                    f"a quoted cell has text after its closing quote: {escape_controls(shown)}",
                    'inside quotes, write a quote that is part of the text twice (""), or '
                    "remove the quotes around the cell",
                    raw,
                    closed.end() - 1,
                    start,
                    path,
                )
            position = end
        else:
            position = _end(unquoted, raw, position)
        if position >= len(raw) or raw[position] != separator:
            return None
        position += 1


_QUOTED = re.compile(r'"[^"]*(?:""[^"]*)*"')
_FIRST_LINE = re.compile(r"[^\r\n]*")


def _end(pattern: re.Pattern[str], text: str, position: int) -> int:
    """Where `pattern` (which matches the empty string too) stops matching."""
    found = pattern.match(text, position)
    assert found is not None
    return found.end()


def _quote_error(
    message: str, hint: str, raw: str, offset: int, start: int, path: Path
) -> DataError:
    """An error pointing at character `offset` of a record that starts on line `start`."""
    before = raw[:offset]
    breaks = list(re.finditer(r"\r\n|\r|\n", before))
    line = start + len(breaks)
    column = offset - (breaks[-1].end() if breaks else 0) + 1
    return DataError(message, location=Location(file=path, line=line, column=column), hint=hint)


def _table(
    records: list[list[str]],
    starts: Sequence[int],
    path: Path,
    first: str,
    separator: str,
    quoted: bool,
) -> Records:
    """Stripped columns, blank rows dropped, short rows padded; a long row is refused.
    Each step maps a C function over all rows: no Python call per cell."""
    header = [cell.strip() for cell in records[0]]
    width = len(header)
    body = records[1:]
    lines = starts[1:]
    if set(map(len, body)) - {width}:
        for line, record in zip(lines, body, strict=True):
            if len(record) > width:
                raise _width_error(len(record), width, line, path, first)
            record += [""] * (width - len(record))
    # A row is blank when all its cells are spaces: when their joined text is.
    filled = list(map(str.strip, map("".join, body)))
    if not all(filled):
        body = list(itertools.compress(body, filled))
        lines = list(itertools.compress(lines, filled))
    # Every row is as wide as the header now: a column is every width-th cell.
    cells = list(itertools.chain.from_iterable(body))
    columns: list[Sequence[str]] = [list(map(str.strip, cells[at::width])) for at in range(width)]
    return Records(header, columns, lines, separator, quoted)


def _width_error(saw: int, width: int, line: int, path: Path, first: str) -> DataError:
    hint = "put quotes around values that contain the separator"
    if width == 1 and first.lstrip().startswith(("#", "//")):
        # A note above the header (a source, a date) makes the note the header.
        shown = first.strip()
        shown = shown if len(shown) <= 40 else shown[:39] + "\u2026"
        hint = (
            f"line 1 ('{escape_controls(shown)}') is a note, not the header: the first "
            "line must name the columns; delete the note lines at the top (and credit "
            "the source in data/README.md)"
        )
    return DataError(
        f"row has {saw} cells, but the header has {width}",
        location=Location(file=path, line=line),
        hint=hint,
    )


def _decode(data: bytes, path: Path, display: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            f"data file '{display}' is not UTF-8 text",
            location=Location(file=path, line=line),
            hint="save it as 'CSV UTF-8'",
        ) from exc
    if (nul := text.find("\x00")) >= 0:
        raise _nul_error(text, nul, path, display)
    if not text.strip():
        raise DataError(f"data file '{display}' is empty", location=Location(file=path))
    return text


def _nul_error(text: str, nul: int, path: Path, display: str) -> DataError:
    """A NUL byte at `nul`, located like any other control character: its line and,
    where the line splits plainly, its column. A file full of them is not text at all
    (UTF-16, or a spreadsheet saved under a .csv name)."""
    line = text.count("\n", 0, nul) + 1
    where = Location(file=path, line=line)
    if text.count("\x00") > len(text) // 10:
        return DataError(
            f"data file '{display}' is not a text file: it is full of NUL bytes "
            f"(U+0000), the first on line {line}",
            location=where,
            hint="save it as 'CSV UTF-8'",
        )
    start = text.rfind("\n", 0, nul) + 1
    if line == 1:
        return DataError(
            "a column name holds the control character U+0000 (a NUL byte)",
            location=where,
            hint="remove it from the header row",
        )
    header = text.split("\n", 1)[0].rstrip("\r")
    separator = _separator(text)
    before = text[start:nul]
    column = ""
    names = header.split(separator)
    if '"' not in header and '"' not in before and before.count(separator) < len(names):
        column = f"column '{names[before.count(separator)]}': "
    return DataError(
        f"{column}the cell holds the control character U+0000 (a NUL byte)",
        location=where,
        hint="remove it from the file; it would change how text is shown",
    )


def _separator(text: str) -> str:
    """Comma, unless the header line clearly uses semicolons or tabs (Excel exports)."""
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > counts[","] else ","
