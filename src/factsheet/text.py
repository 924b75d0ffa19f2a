"""Text templates: a spec's prose is a sandboxed Jinja2 template whose output is a small
inline subset of Markdown (emphasis, links, ``^super^``, ``~sub~``, line breaks), which is
then turned into ReportLab ``Paragraph`` markup or plain text. Values inserted by the
template are escaped for Markdown, and every text run is escaped for ReportLab, so no
value and no source text can ever produce a live ReportLab tag; link targets are limited
to ``http(s)://`` and ``mailto:`` addresses."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType, TracebackType

import jinja2
from jinja2.exceptions import SecurityError
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.subscript import sub_plugin
from mdit_py_plugins.superscript import superscript_plugin

from factsheet.errors import ErrorGroup, FactsheetError, TemplateError, did_you_mean
from factsheet.filters import FILTERS, slug
from factsheet.sandbox import compile_template, escape_markdown, generate
from factsheet.template_budget import Exhausted

__all__ = [
    "FILTERS",
    "Dependent",
    "LinkStyle",
    "Templates",
    "markdown_to_markup",
    "markdown_to_plain",
    "render_markup",
    "render_plain",
    "slug",
]


@dataclass(frozen=True)
class LinkStyle:
    """How links look in ReportLab markup."""

    colour: str = "#0033A0"  # hex colour for link text
    underline: bool = False


# --- Jinja2 ------------------------------------------------------------------------------

_UNDEFINED_NAME = re.compile(r"^'([^']+)' is undefined$")
_UNKNOWN_FILTER = re.compile(r"No (filter|test) named '([^']+)'")
_SIMPLE_REFERENCE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


_KINDS: dict[type[BaseException], str] = {
    MemoryError: "ran out of memory",
    RecursionError: "nests too deeply",
}


def _reason(exc: BaseException) -> str:
    """What went wrong, never empty: an exception with no message is named by its kind
    in plain words (`ZeroDivisionError` -> "zero division error")."""
    text = str(exc).strip()
    if text:
        return text
    kind = _KINDS.get(type(exc))
    return kind or re.sub(r"(?<!^)(?=[A-Z])", " ", type(exc).__name__).lower()


def _template_line(tb: TracebackType | None) -> int | None:
    """The template line being rendered when an exception was raised, if known."""
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _where(line: int | None) -> str:
    return f"line {line} of the text: " if line is not None else ""


class Dependent(TemplateError):
    """A template uses a name whose own problem is already reported (a figure that could
    not be computed, a variable that could not be rendered): not a problem of its own."""


class Templates:
    """Renders text templates against a mapping of variables (formatted figures,
    edition keys, document fields). One instance per edition; cheap to create.
    `broken` names values whose problem is reported elsewhere: a template that uses
    one raises :class:`Dependent`, which problem collectors leave out. `unavailable`
    names values that exist but not yet where this template is rendered (figures, in
    a variable), each with the message and hint that say so."""

    def __init__(
        self,
        variables: Mapping[str, object],
        broken: frozenset[str] = frozenset(),
        unavailable: Mapping[str, tuple[str, str]] | None = None,
    ) -> None:
        self._variables = dict(variables)
        self.broken = broken
        self.unavailable = unavailable or {}

    @property
    def variables(self) -> Mapping[str, object]:
        return MappingProxyType(self._variables)

    def with_values(self, **extra: object) -> Templates:
        """A copy with more variables; this instance is left as it was."""
        return Templates({**self._variables, **extra}, self.broken - set(extra), self.unavailable)

    def with_broken(self, names: Iterable[str]) -> Templates:
        """A copy in which `names` are broken too."""
        return Templates(self._variables, self.broken | frozenset(names), self.unavailable)

    def render(self, template: str) -> str:
        """Run the Jinja2 pass only; the result is Markdown source with every inserted
        value escaped for Markdown. Raises :class:`TemplateError` for any failure."""
        return self._render(template, "markdown")

    def render_value(self, template: str) -> str:
        """Render a template whose result is a plain value, not Markdown (a filter value,
        a highlighted category, an edition variable): inserted values are not escaped."""
        return self._render(template, "value")

    def render_path(self, template: str) -> str:
        """Render an output path: every inserted value becomes a file-name slug."""
        return self._render(template, "path")

    def _render(self, template: str, mode: str) -> str:
        simple = self._render_simple(template, mode)
        if simple is not None:
            return simple
        try:
            compiled = compile_template(template, mode)
        except jinja2.TemplateSyntaxError as exc:
            raise self._syntax(exc) from None
        try:
            return generate(compiled, self._variables)
        except FactsheetError:
            raise
        except Exhausted as exc:
            where = _where(_template_line(exc.__traceback__))
            raise TemplateError(
                f"{where}template does too much work: {exc}",
                hint="loop over fewer values; a long list belongs in a table block",
            ) from None
        except (SecurityError, OverflowError) as exc:
            # The sandbox reports a too-large range() as an OverflowError.
            raise TemplateError(f"not allowed in a template: {exc}") from None
        except jinja2.UndefinedError as exc:
            raise self._undefined(exc) from None
        except jinja2.TemplateRuntimeError as exc:
            raise self._syntax(exc) from None
        except Exception as exc:
            # The template is user input: any failure inside it (a bad filter argument,
            # dividing by zero, ...) is a problem with the spec, not a crash of the tool.
            where = _where(_template_line(exc.__traceback__))
            raise TemplateError(f"{where}cannot render template: {_reason(exc)}") from None

    def _render_simple(self, template: str, mode: str = "markdown") -> str | None:
        """Texts with no template syntax, or only `{{ name }}` references, rendered
        without compiling a Jinja template (compiling one costs milliseconds): the same
        escaping, the same trailing-newline rule and the same error for an unknown name.
        None when the text needs Jinja."""
        text = template[:-1] if template.endswith("\n") else template  # as Jinja does
        if "{" not in template:
            return text  # most labels, captions and headings: nothing to fill in
        rest = _SIMPLE_REFERENCE.sub("", template)
        if "{{" in rest or "{%" in rest or "{#" in rest:
            return None
        escapes: dict[str, Callable[[object], str]] = {
            "markdown": escape_markdown, "value": str, "path": slug
        }  # fmt: skip
        escape = escapes[mode]
        unknown: list[str] = []

        def insert(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in self._variables:
                return escape(self._variables[name])
            unknown.append(name)
            return ""

        filled = _SIMPLE_REFERENCE.sub(insert, text)
        if unknown:  # every unknown name at once, each with its did-you-mean
            raise self._unknown(list(dict.fromkeys(unknown)))
        return filled

    def _unknown(self, names: Sequence[str]) -> TemplateError:
        """Every unknown name of a template, each with its did-you-mean; a Dependent
        when all of them are broken (their problems are reported already)."""
        real = [n for n in names if n not in self.broken]
        if not real:
            return Dependent(f"the template uses '{names[0]}', whose own problem is reported")
        errors = [
            TemplateError(self.unavailable[name][0], hint=self.unavailable[name][1])
            if name in self.unavailable
            else TemplateError(
                f"unknown name '{name}' in template",
                hint=did_you_mean(name, [*self._variables, *self.broken]),
            )
            for name in real
        ]
        if len(errors) == 1:
            return errors[0]
        return _TemplateErrors(errors)

    def _undefined(self, exc: jinja2.UndefinedError) -> TemplateError:
        message = exc.message or str(exc)
        match = _UNDEFINED_NAME.match(message)
        if match is None:
            where = _where(_template_line(exc.__traceback__))
            return TemplateError(f"{where}{message}")
        return self._unknown([match.group(1)])

    def _syntax(self, exc: jinja2.TemplateError) -> TemplateError:
        """A syntax error, or an unknown filter or test with its did-you-mean."""
        message = exc.message or str(exc)
        line = getattr(exc, "lineno", None) or _template_line(exc.__traceback__)
        unknown = _UNKNOWN_FILTER.search(message)
        if unknown is None:
            return TemplateError(f"{_where(line)}{message}")
        kind, name = unknown.groups()
        if kind == "test":
            return TemplateError(f"{_where(line)}unknown test '{name}'")
        hint = did_you_mean(name, FILTERS) or f"filters: {', '.join(FILTERS)}"
        if name in ("capitalise", "capitalize_first", "capitalise_first", "ucfirst"):
            hint = "did you mean 'capfirst'?"
        return TemplateError(f"{_where(line)}unknown filter '{name}'", hint=hint)


class _TemplateErrors(ErrorGroup, TemplateError):
    """Several problems in one template (each unknown name, say)."""


# --- Markdown ----------------------------------------------------------------------------

_ALLOWED_SCHEMES = ("http://", "https://", "mailto:")


class _Parser(MarkdownIt):
    """Accepts every link target, so disallowed ones reach the converter and are
    reported, instead of silently printing the Markdown source as text."""

    def validateLink(self, url: str) -> bool:
        return True


def _make_parser() -> MarkdownIt:
    # "zero" has only paragraphs; entities stay off so '&amp;' prints exactly as written
    # (authors type the character itself), and typographer stays off so quotes are kept.
    md = _Parser("zero", {"html": False, "typographer": False, "linkify": False})
    md.enable(["emphasis", "link", "escape", "newline", "autolink"])
    md.use(superscript_plugin)
    md.use(sub_plugin)
    return md


_MD = _make_parser()

_TAGS = {
    "em_open": "<i>",
    "em_close": "</i>",
    "strong_open": "<b>",
    "strong_close": "</b>",
    "sup_open": "<super>",
    "sup_close": "</super>",
    "sub_open": "<sub>",
    "sub_close": "</sub>",
}


def _escape_markup(text: str, quote: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def _checked_href(token: Token) -> str:
    href = str(token.attrs.get("href", ""))
    if not href.lower().startswith(_ALLOWED_SCHEMES):
        raise TemplateError(
            f"link target '{href}' is not allowed; use an http(s) or mailto: address"
        )
    return href


# Text with none of these characters, on one line, is one paragraph of plain text; most
# labels, captions and headings are, and skipping the parser for them saves a few
# milliseconds a build.
_MARKDOWN_SIGNS = frozenset("*_[]^~\\<>`\n\r\t\x00")


def _paragraphs(source: str) -> list[list[Token]]:
    """The inline tokens of each paragraph."""
    plain = source.strip()
    if plain == source and plain and _MARKDOWN_SIGNS.isdisjoint(source):
        return [[Token("text", "", 0, content=source)]]
    return [
        token.children or []
        for token in _MD.parse(source)
        if token.type == "inline" and token.children
    ]


def _to_markup(tokens: Sequence[Token], links: LinkStyle) -> str:
    out: list[str] = []
    for token in tokens:
        if token.type in _TAGS:
            out.append(_TAGS[token.type])
        elif token.type == "link_open":
            href = _escape_markup(_checked_href(token), quote=True)
            colour = _escape_markup(links.colour, quote=True)
            out.append(f'<a href="{href}" color="{colour}">')
            if links.underline:
                out.append("<u>")
        elif token.type == "link_close":
            out.append("</u></a>" if links.underline else "</a>")
        elif token.type == "hardbreak":
            out.append("<br/>")
        elif token.type == "softbreak":
            out.append(" ")
        else:
            out.append(_escape_markup(token.content))
    return "".join(out)


def _to_plain(tokens: Sequence[Token]) -> str:
    out: list[str] = []
    for token in tokens:
        if token.type == "link_open":
            _checked_href(token)
        elif token.type in ("hardbreak", "softbreak"):
            out.append(" ")
        elif token.nesting == 0:
            out.append(token.content)
    return "".join(out)


def markdown_to_markup(source: str, links: LinkStyle = LinkStyle()) -> list[str]:
    """Inline Markdown to ReportLab ``Paragraph`` markup, one string per paragraph
    (paragraphs are separated by blank lines)."""
    return [_to_markup(tokens, links) for tokens in _paragraphs(source)]


def markdown_to_plain(source: str) -> str:
    """The same parse with all markup dropped, for PDF bookmarks, metadata and alt text.
    Line breaks become spaces; paragraphs are separated by a blank line."""
    return "\n\n".join(_to_plain(tokens) for tokens in _paragraphs(source))


def render_markup(
    template: str,
    templates: Templates,
    links: LinkStyle = LinkStyle(),
) -> list[str]:
    """Render a text template, then convert it to ReportLab markup paragraphs."""
    return markdown_to_markup(templates.render(template), links)


def render_plain(template: str, templates: Templates) -> str:
    """Render a text template, then convert it to plain text."""
    return markdown_to_plain(templates.render(template))
