"""TrueType font files registered with ReportLab under their file stem, once per
process: a file that is not a whole font (empty, truncated, another format) is a
located error naming it, never a traceback from the font parser, and two different
files with one name are an error rather than one silently drawn as the other."""

from __future__ import annotations

import struct
from functools import lru_cache
from pathlib import Path

from factsheet.errors import SpecError
from factsheet.location import Location


@lru_cache(maxsize=64)
def register_ttf(path: Path, where: Location | None = None) -> str:
    """Register a TrueType file with ReportLab under its file stem; return that name.
    A file that is not a whole TrueType font (empty, truncated, another format) is a
    located SpecError naming it, never a traceback from the font parser."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = path.stem
    if name in pdfmetrics.getRegisteredFontNames():
        registered = getattr(getattr(pdfmetrics.getFont(name), "face", None), "filename", None)
        if registered is not None and not _same_file(Path(registered), path):
            # ReportLab knows fonts by name: this file would silently draw as the other.
            raise SpecError(
                f"font file '{path.name}' has the same name as '{registered}', which is "
                "already in use in this build",
                where,
                hint="rename one of the two font files",
            )
        return name
    if path.stat().st_size > 30_000_000:
        raise SpecError(f"font file '{path.name}' is larger than 30 MB", where)
    data = path.read_bytes()
    problem = truncated_font(data)
    if problem is None:
        try:
            font = TTFont(name, str(path))
        # ReportLab's parser fails on a damaged file with struct, index, key and value
        # errors as well as its own TTFError: each means the same to the user.
        except Exception as exc:
            problem = str(exc).replace(str(path), path.name) or type(exc).__name__
    if problem is not None:
        raise SpecError(
            f"font file '{path.name}' is damaged or not a TrueType font: {problem}",
            where,
            hint="use a .ttf file as its maker ships it; download or copy it again",
        )
    pdfmetrics.registerFont(font)
    return name


def _same_file(a: Path, b: Path) -> bool:
    """The same font: one file, or two copies with the same bytes (a project copied)."""
    if a.resolve() == b.resolve():
        return True
    try:
        return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def truncated_font(data: bytes) -> str | None:
    """Why `data` cannot be a whole TrueType font (too short, or a table that runs past
    the end of the file), or None. ReportLab reads only the tables it needs, so a cut
    file would otherwise pass, or fail deep inside with `struct.error`."""
    if len(data) < 12:
        return "the file is empty" if not data else f"the file is only {len(data)} bytes long"
    if data[:4] == b"ttcf":
        return None  # a collection: ReportLab checks its own directory
    if data[:4] not in (b"\x00\x01\x00\x00", b"true", b"OTTO"):
        return f"it does not start as a font file does (its first bytes are {data[:4].hex(' ')})"
    (tables,) = struct.unpack(">H", data[4:6])
    if len(data) < 12 + 16 * tables:
        return "the file ends inside its table directory (it is cut short)"
    for n in range(tables):
        tag, _, offset, length = struct.unpack(">4sIII", data[12 + 16 * n : 28 + 16 * n])
        if offset + length > len(data):
            label = tag.decode("latin-1").strip()
            return f"its table '{label}' runs past the end of the file (it is cut short)"
    return None
