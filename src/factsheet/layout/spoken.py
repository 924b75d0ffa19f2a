"""The text a paragraph says, as opposed to the glyphs it shows. Breaking lines loses
the spaces between wrapped words and adds hyphens inside words ("mov-" / "ing"), so
text copied from a PDF, or read by a screen reader, would come out as "movingcan" or
"mov-ing". A tagged PDF puts the real text beside the glyphs (`/ActualText`); this
module rebuilds it from a paragraph's lines and its source text: at each line end it
keeps a hyphen that is in the source ("South-South"), drops one that line breaking
added, and otherwise puts back the space. When the lines cannot be matched to the
source, it answers None and the glyphs speak for themselves."""

from __future__ import annotations

import html
import re
from typing import Any

_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def source_text(markup: str) -> str:
    """Paragraph markup as plain text, whitespace collapsed."""
    text = _TAG.sub("", _BREAK.sub(" ", markup))
    return _SPACE.sub(" ", html.unescape(text)).strip()


def line_texts(lines: Any) -> list[str]:
    """The text of each line ReportLab broke a paragraph into."""
    texts = []
    for line in lines.lines:
        if lines.kind == 0:
            texts.append(" ".join(line[1]))
        else:
            texts.append("".join(getattr(word, "text", "") for word in line.words))
    return [_SPACE.sub(" ", t).strip() for t in texts]


def spoken(lines: list[str], source: str) -> str | None:
    """The lines joined as the source has them, or None if they do not match it."""
    if not lines:
        return None
    text = lines[0]
    for line in lines[1:]:
        if not line:
            continue
        text = _join(text, line, source)
    # Every line's text came from the source, so the joined text is in it, unless the
    # paragraph was split (its parts are checked word by word instead).
    if text in source or all(word in source for word in text.split(" ")):
        return text
    return None


def _join(before: str, after: str, source: str) -> str:
    last = before.rsplit(" ", 1)[-1]
    first = after.split(" ", 1)[0]
    hyphen = last.endswith(("-", "\u2010"))
    if hyphen and last[:-1] + first in source and (last + first) not in source:
        return before[:-1] + after  # a hyphen that line breaking added
    if (last + first) in source and (last + " " + first) not in source:
        return before + after  # a word broken after a slash or a dash it contains
    return before + " " + after
