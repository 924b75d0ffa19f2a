"""Edition variables and output paths, rendered when the editions are expanded (before
any data is read, so they see `year`, the edition keys and other variables, never
figures). Variables are rendered in order of precedence: the spec's own `variables`,
then `editions.variables`, then each matching override's; a later definition replaces
an earlier one and keeps its place, and each variable sees those before it. A variable
that cannot be rendered is reported, and the variables and texts that use it are not
reported again. In an output path, every inserted value becomes a file-name slug."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from factsheet.errors import FactsheetError, SpecError
from factsheet.location import KeyPath
from factsheet.output import NameProblem, output_inside
from factsheet.spec.loader import SourceMap
from factsheet.spec.model import Model
from factsheet.spec.validate import validate
from factsheet.text import Dependent, Templates, slug

RESERVED = ("year", "date", "title", "subtitle", "author", "subject")
"""Names every template has already, which a variable cannot take."""


class _Variables(Model):
    """The spec's top-level `variables`, checked before the rest of the spec."""

    variables: dict[str, str]


def spec_variables(raw: dict[str, Any], source_map: SourceMap) -> dict[str, str]:
    """The spec's top-level `variables`, as written (templates, not yet rendered)."""
    given = raw.get("variables")
    if given is None:
        return {}
    return dict(validate(_Variables, {"variables": given}, source_map).variables)


def context_of(data: Any, keys: Mapping[str, str]) -> dict[str, object]:
    """What variables and output paths see besides other variables: `year`, the keys."""
    document = data.get("document") if isinstance(data, dict) else None
    year = document.get("year") if isinstance(document, dict) else None
    return ({"year": year} if isinstance(year, int) and not isinstance(year, bool) else {}) | dict(
        keys
    )


def render_variables(
    context: Mapping[str, object],
    variables: Mapping[str, str],
    sources: Mapping[str, KeyPath],
    figures: set[str],
    source_map: SourceMap,
) -> tuple[dict[str, str], list[FactsheetError], frozenset[str]]:
    """Render variables in order: each sees `context` (year, keys) and the ones before
    it. Returns the rendered ones, the problems, and the names that failed (a variable
    using a failed one fails quietly: its cause is reported)."""
    rendered: dict[str, str] = {}
    problems: list[FactsheetError] = []
    broken: set[str] = set()
    later = {figure: _not_yet(figure) for figure in figures}
    for name, template in variables.items():
        where = source_map.locate(sources[name], at_key=True)
        if name in figures or name in RESERVED or name in context:
            problems.append(_clash(name, figures, where))
            broken.add(name)
            continue
        try:
            templates = Templates({**context, **rendered}, frozenset(broken), later)
            rendered[name] = templates.render_value(template)
        except Dependent:
            broken.add(name)
        except FactsheetError as exc:
            problems.append(exc.located(source_map.locate(sources[name])))
            broken.add(name)
    return rendered, problems, frozenset(broken)


def _not_yet(figure: str) -> tuple[str, str]:
    """What a variable that uses a figure is told."""
    return (
        f"'{figure}' is a figure, and a variable cannot use figures: variables are "
        "rendered first, before any figure is computed",
        f"write `{{{{ {figure} }}}}` in the text itself (a paragraph, a title, a tile); "
        "a variable can hold the words around it",
    )


def _clash(name: str, figures: set[str], where: Any) -> SpecError:
    if name in figures:
        what = "a figure"
    elif name in RESERVED:
        what = "a value every template has"
    else:
        what = "an edition key"
    return SpecError(
        f"variable '{name}' has the name of {what}",
        where,
        "rename it: `{{ " + name + " }}` must name one value",
    )


def output_path(
    root: Path,
    template: str,
    context: Mapping[str, object],
    source_map: SourceMap,
    at: KeyPath,
    keys: Mapping[str, str] | None = None,
) -> Path:
    """The output file: `{{ … }}` templates rendered (each inserted value a file-name
    slug), then each `{key}` replaced by its value's slug; inside the project, and not
    resolved: a link on the way is refused when the file is written, never followed."""
    try:
        relative = Templates(context).render_path(template)
        relative = relative.format_map({k: slug(v) for k, v in (keys or {}).items()})
        path = output_inside(root, relative)
    except FactsheetError as exc:
        raise exc.located(source_map.locate(at)) from None
    except NameProblem as exc:
        edition = ", ".join(f"{k}={v}" for k, v in (keys or {}).items())
        message = str(exc) + (f", in the output of edition {edition}" if edition else "")
        hint = "shorten or rename it in the output path"
        raise SpecError(message, source_map.locate(at), hint) from None
    except (ValueError, KeyError) as exc:
        raise SpecError(str(exc).strip("'\""), source_map.locate(at)) from None
    if path.suffix.lower() != ".pdf":
        raise SpecError("the output file must end in .pdf", source_map.locate(at))
    return path


def picture_paths(data: Any) -> Iterator[str]:
    """The picture files a spec tree's hero and image blocks name, as written (a
    template not rendered)."""
    pages = data.get("pages") if isinstance(data, dict) else None
    for page in pages if isinstance(pages, list) else ():
        blocks = page.get("blocks") if isinstance(page, dict) else None
        for block in blocks if isinstance(blocks, list) else ():
            for kind, key in (("hero", "image"), ("image", "file")):
                part = block.get(kind) if isinstance(block, dict) else None
                name = part.get(key) if isinstance(part, dict) else None
                if isinstance(name, str):
                    yield name
