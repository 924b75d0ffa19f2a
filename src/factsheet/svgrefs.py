"""The references an SVG makes to other files (`href` and `xlink:href` on images and
`use`, and `url(…)` in styles), read from its text and sorted into those that are drawn
(a relative name inside the SVG's own folder that exists, an embedded PNG or JPEG) and
those that are not: web addresses (nothing is downloaded during a build), absolute
paths and names leaving the SVG's folder (an SVG may not read files elsewhere), missing
files, and style references to other files (never followed). Each of the latter is a
warning naming the reference, why it is left out and what to do; a warning, because the
rest of the picture is still right, and an error under `--strict`.

A regular expression over the text, not a parse: it runs on every build, a build-cache
hit included (where the picture itself is not parsed again), so it must not need lxml."""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

MAX_SCANNED = 5_000_000  # bytes: a larger SVG is refused when it is parsed

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_HREF = re.compile(r"""(?<![\w:.-])(?:[\w.-]+:)?href\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)""")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:")  # two letters or more: not `C:`
_DRIVE = re.compile(r"[A-Za-z]:[\\/]")
_EMBEDDED = re.compile(r"data:image/(jpe?g|png);base64", re.I)
SHOWN = 60  # characters of a reference quoted in a warning

LOCAL = (
    "copy the file into the SVG's folder and refer to it by a name relative to it, or "
    "embed it in the SVG"
)


@dataclass(frozen=True)
class References:
    """What an SVG refers to: the files it draws from, the references refused (as
    written), and a warning for each of those."""

    files: tuple[Path, ...] = ()
    refused: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def references(path: Path, root: Path | None = None, size: int = 0) -> References:
    """The references of the SVG at `path`; `root` (the project) shortens the SVG's
    name in warnings."""
    if size > MAX_SCANNED:
        return References()
    try:
        text = path.read_bytes().decode("utf-8", "replace")
    except OSError:
        return References()  # parsing the SVG reports it
    text = _COMMENT.sub("", text)
    written = [
        html.unescape(next(g for g in m.groups() if g is not None)).strip()
        for m in _HREF.finditer(text)
    ]
    styled = [next(g for g in m.groups() if g is not None).strip() for m in _URL.finditer(text)]
    files: list[Path] = []
    refused: dict[str, str] = {}
    for reference in written:
        why, found = _href(path, reference)
        if why:
            refused.setdefault(reference, why)
        elif found is not None and found not in files:
            files.append(found)
    for reference in styled:
        if reference and not reference.startswith("#"):
            refused.setdefault(
                f"url({reference})", "a style's reference to another file, which is not followed"
            )
    name = _shown(path, root)
    warnings = tuple(
        f"the SVG '{name}' refers to '{_cut(ref)}' ({why}), which is left out of the "
        f"picture: {_hint(why)}"
        for ref, why in refused.items()
    )
    return References(tuple(files), tuple(refused), warnings)


def _href(svg: Path, reference: str) -> tuple[str, Path | None]:
    """Why an `href` is not drawn ('' when it is), and the file it draws from."""
    if not reference or reference.startswith("#"):
        return "", None  # a part of the SVG itself
    if reference.lower().startswith("data:"):
        if _EMBEDDED.match(reference):
            return "", None
        return "embedded data other than a base64 PNG or JPEG picture", None
    if _SCHEME.match(reference):
        scheme = reference.split(":", 1)[0].lower()
        if scheme in ("http", "https", "ftp"):
            return "a web address: nothing is downloaded during a build", None
        return f"a '{scheme}:' address, which is never opened", None
    if reference.startswith(("/", "\\")) or _DRIVE.match(reference):
        return "an absolute path: an SVG may only use files in its own folder", None
    name = reference.split("#", 1)[0]
    if not name:
        return "", None
    folder = os.path.realpath(svg.parent)
    target = os.path.realpath(os.path.join(svg.parent, name))
    if os.path.commonpath([folder, target]) != folder:
        return "outside the SVG's folder: an SVG may only use files in its own folder", None
    if not os.path.isfile(target) or not os.access(target, os.R_OK):
        return "no such file in the SVG's folder", None
    return "", Path(target)


def _hint(why: str) -> str:
    if why.startswith("no such file"):
        return "check the name, which is read from the SVG's own folder"
    if why.startswith("embedded"):
        return "embed the picture as PNG or JPEG (`data:image/png;base64,…`)"
    if why.startswith("a web address"):
        return (
            "download the picture into the SVG's folder and refer to it by its file name, "
            "or embed it in the SVG"
        )
    return LOCAL


def _shown(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.name


def _cut(reference: str) -> str:
    """A reference short enough to quote, with control characters escaped."""
    text = reference if len(reference) <= SHOWN else reference[: SHOWN - 1] + "…"
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
