"""A ReportLab Paragraph that remembers how it broke into lines at each width. Placing
a block measures its paragraphs several times at the same width (to fit, to keep a
heading with what follows, to draw); line breaking is the costly part, so each width is
broken once. The result is the same as ReportLab's own wrap."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Paragraph

from factsheet.layout import breaks, rtl_draw, spans, spoken
from factsheet.render.tagger import tagger_of

breaks.install()  # long words break at `/`, `.` and the like, never past the frame


class Para(Paragraph):  # type: ignore[misc]
    """Paragraph with line breaks cached per available width."""

    def __init__(self, text: str | None, style: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(text, style, *args, **kwargs)
        # No `blPara` here: ReportLab's split() wraps first when the attribute is absent.
        self._wrapped: dict[float, tuple[Any, Any, float]] = {}
        self.markup = text or ""  # the source of every part this paragraph splits into
        self._source: str | None = None
        self._actual: tuple[Any, str | None] | None = None  # (lines, operator) last drawn
        self.runs_on = False
        self.prints: tuple[Any, ...] = ()  # figures it prints (see render.boxes)
        self.shared = False  # made by shared_para: copied before it is given prints

    @property
    def source(self) -> str:
        """The paragraph's text as written (worked out when a tagged PDF first asks)."""
        if self._source is None:
            self._source = spoken.source_text(self.markup)
        return self._source

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts: list[Any] = super().split(availWidth, availHeight)
        for part in parts:
            if isinstance(part, Para):
                part.markup = self.markup
        if len(parts) > 1 and isinstance(parts[0], Para):
            parts[0].runs_on = True  # its text ends where the next part's begins
        if self.prints and len(parts) == 2:
            from factsheet.render.boxes import split_prints

            count = len(parts[0].blPara.lines)  # the lines of this paragraph it took
            head, tail = split_prints(self.prints, spans.line_texts(self)[:count])
            parts[0].prints, parts[1].prints = head, tail
        return parts

    @property
    def rtl(self) -> bool:
        """Whether the paragraph is set right to left (its style says so)."""
        return bool(getattr(self.style, "rtl", False))

    def breakLines(self, width: Any) -> Any:
        if not self.rtl:
            return super().breakLines(width)
        return rtl_draw.break_lines(self, super().breakLines, width)

    def drawPara(self, debug: int = 0) -> None:
        if self.rtl:
            rtl_draw.draw_lines(self)
        else:
            super().drawPara(debug)

    def draw(self) -> None:
        tagger = tagger_of(self.canv)
        if tagger is None:
            super().draw()
        else:
            tagger.paragraph = self  # its links are named by their words (see render.tagger)
            # The same lines say the same words in every edition that shows them.
            lines = self.blPara
            if self._actual is None or self._actual[0] is not lines:
                self._actual = (lines, self._actual_text(lines))
            literal = self._actual[1]
            if literal is None:
                super().draw()
            else:
                tagger.canvas.addLiteral(literal)
                super().draw()
                tagger.canvas.addLiteral("EMC")
        if self.prints:  # where its figures were drawn (see render.boxes)
            from factsheet.render.boxes import recorder_of

            recorder = recorder_of(self.canv)
            if recorder is not None:
                recorder.paragraph(self)

    def _actual_text(self, lines: Any) -> str | None:
        """The marked-content operator that gives the words as written (spaces between
        lines, no added hyphens), for copying and for screen readers, beside the glyphs
        as set; None when the lines cannot be matched to the source."""
        text = spoken.spoken(spoken.line_texts(lines), self.source)
        if text is None:
            return None
        if self.runs_on and not text.endswith("-"):
            text += " "  # the space between this part's last word and the next part's first
        return f"/Span <</ActualText <{text_string(text)}>>> BDC"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # The height a paragraph needs depends on its width only, not on the room left.
        cached = self._wrapped.get(availWidth)
        if cached is None:
            width, height = super().wrap(availWidth, availHeight)
            if width == availWidth:  # not the "cannot fit" answer
                self._wrapped[availWidth] = (self._wrapWidths, self.blPara, height)  # type: ignore[has-type]
            return width, height
        widths, lines, height = cached
        self.width, self._wrapWidths, self.blPara, self.height = availWidth, widths, lines, height
        return availWidth, height


def text_string(text: str) -> str:
    """A PDF text string in hexadecimal: UTF-16BE with its byte order mark."""
    return "FEFF" + text.encode("utf-16-be").hex().upper()


_SHARED: dict[tuple[str, int], Para] = {}
_SHARED_KEPT = 1024


def shared_para(markup: str, style: Any) -> Para:
    """The same paragraph for the same markup and style, made once per process. Most
    text is the same in every edition of a spec; each width is then broken into lines
    once, not once per edition. Placing and drawing never change a paragraph, so one
    object can serve many documents (styles are kept alive by the theme's cache)."""
    key = (markup, id(style))
    para = _SHARED.get(key)
    if para is None or para.style is not style:
        if len(_SHARED) >= _SHARED_KEPT:
            _SHARED.clear()
        para = _SHARED[key] = Para(markup, style)
        para.shared = True
    return para


def clear_cache() -> None:
    """Forget every shared paragraph (benchmarks measure text set from scratch)."""
    _SHARED.clear()
