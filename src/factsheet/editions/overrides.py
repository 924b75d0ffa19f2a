"""`editions.overrides`, applied to one edition's copy of the spec tree. An override's
fields are merged into the spec key by key, as `extends` merges a spec into its base:
`null` removes a key (a filter, a format option, a field, a whole block or figure) so
its default applies again, and a figure the spec does not declare is added for those
editions when the override gives its full definition. Every value keeps the line it
was written on.

Two mistakes that would print a wrong PDF are errors here: an override whose `when`
names a key value no edition has (:func:`when_problems`), and a base spec's override
that, in some editions, replaces a value the spec extending it changed (the change
would silently not show there: :class:`Replaced`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from factsheet.errors import FactsheetError, SpecError, did_you_mean
from factsheet.location import KeyPath, Location, display_path, format_key_path
from factsheet.spec.editions import Editions, KeyFilter, Override
from factsheet.spec.loader import SourceMap, copy_tree

ARITHMETIC = ("difference", "ratio", "change")


@dataclass(frozen=True)
class Replaced:
    """A value that a spec extending a base changed, and that the base's override
    `number` sets again, after the change, in an edition: the change does not show."""

    what: str  # "`text` of block 'trends'", "variable `place`"
    changed: Location  # where the extending spec changed it
    number: int  # the base's override
    override: Location  # where the override sets it


class Applier:
    """Applies the overrides that match one edition to its copy of the spec tree
    (`data`), keeping the source map in step. `files` are the spec's files, its own
    first, then its bases (`extends`); `removed` are block ids a spec of the chain
    removed, which a base's override may still name."""

    def __init__(
        self,
        data: dict[str, Any],
        source_map: SourceMap,
        files: Sequence[Path],
        removed: frozenset[str],
    ) -> None:
        self.data = data
        self.source_map = source_map
        self.rank = {path: number for number, path in enumerate(files)}
        self.removed = set(removed)
        self.problems: list[FactsheetError] = []
        self.replaced: list[Replaced] = []
        self._number = 0
        self._own = 0  # rank of the file the current override was written in

    def apply(self, number: int, override: Override) -> None:
        at: KeyPath = ("editions", "overrides", number)
        self._number, self._own = number, self.rank_of(at)
        self._merge(override.document, ("document",), (*at, "document"))
        for name, fields in override.figures.items():
            self._figure(name, fields, (*at, "figures", name))
        for block_id, fields in override.blocks.items():
            self._block(block_id, fields, (*at, "blocks", block_id))

    def rank_of(self, path: KeyPath) -> int:
        """0 for a value written in the spec itself, 1 for its base, and so on."""
        return self.rank.get(self.source_map.file_of(path), 0)

    def replaces(
        self, what: str, path: KeyPath, origin: KeyPath, nested: bool = False
    ) -> Replaced | None:
        """The record of a change lost if the current override, written at `origin`,
        sets the value at `path` (a mapping or list when `nested`) that a spec extending
        its own file changed."""
        mark = self._changed_under(path, nested)
        if mark is None:
            return None
        override = self.source_map.locate(origin)
        return Replaced(what, self.source_map.locate(mark), self._number, override)

    def _changed_under(self, path: KeyPath, nested: bool) -> KeyPath | None:
        if len(self.rank) < 2 or self._own == 0:
            return None  # no base, or the spec's own override: it wins by design
        if path in self.source_map.values and self.rank_of(path) < self._own:
            return path
        if not nested:
            return None
        depth = len(path)
        for inner in self.source_map.values:
            if len(inner) > depth and inner[:depth] == path and self.rank_of(inner) < self._own:
                return inner
        return None

    # --- fields ---------------------------------------------------------------------

    def _merge(self, fields: Mapping[str, Any], target: KeyPath, origin: KeyPath) -> None:
        """Merge `fields` into the mapping at `target`: mappings key by key, `null`
        removes a key, anything else replaces; marks come from `origin`."""
        node = self._node(target)
        for name, value in fields.items():
            here, there = (*target, name), (*origin, name)
            if isinstance(value, dict) and isinstance(node.get(name), dict):
                self._merge(value, here, there)
                continue
            if name in node and node[name] != value:
                nested = isinstance(node[name], dict | list)
                lost = self.replaces(_what(here, self.data), here, there, nested)
                if lost is not None:
                    self.replaced.append(lost)
            if value is None:
                node.pop(name, None)
            else:
                node[name] = copy_tree(value)
                self.source_map = self.source_map.graft(here, there)

    def _node(self, target: KeyPath) -> dict[str, Any]:
        node: Any = self.data
        for part in target:
            node = node.setdefault(part, {}) if isinstance(part, str) else node[part]
        assert isinstance(node, dict)
        return node

    def _figure(self, name: str, fields: dict[str, Any] | None, at: KeyPath) -> None:
        figures = self.data.get("figures")
        known = figures if isinstance(figures, dict) else {}
        if name in known:
            if fields is None:
                del known[name]
            else:
                self._merge(fields, ("figures", name), at)
            return
        if fields is not None and ("source" in fields or any(k in fields for k in ARITHMETIC)):
            self.data["figures"] = {**known, name: copy_tree(fields)}
            self.source_map = self.source_map.graft(("figures", name), at)
            return
        hint = did_you_mean(name, known)
        if fields is not None:
            add = (
                "add a figure for these editions only by giving its full definition: "
                "`source` and `column` (or `difference`, `ratio` or `change` of two figures)"
            )
            hint = f"{hint} Or {add}" if hint else add[:1].upper() + add[1:]
        elif not hint:
            hint = f"figures: {', '.join(known) or 'none declared'}"
        self.problems.append(
            SpecError(
                f"override names figure '{name}', which the spec does not declare",
                self.source_map.locate(at, at_key=True),
                hint,
            )
        )

    def _block(self, block_id: str, fields: dict[str, Any] | None, at: KeyPath) -> None:
        found = _block_place(self.data, block_id)
        if isinstance(found, list):
            if block_id not in self.removed:  # removed on purpose: nothing to change
                self.problems.append(_unknown_block(block_id, found, self.source_map, at))
            return
        page, index, kind = found
        if fields is None:
            del self.data["pages"][page]["blocks"][index]
            self.source_map = self.source_map.without_item(("pages", page, "blocks"), index)
            self.removed.add(block_id)
        else:
            self._merge(fields, ("pages", page, "blocks", index, kind), at)


def _block_place(data: dict[str, Any], block_id: str) -> tuple[int, int, str] | list[str]:
    """(page, position, kind) of the block with `block_id`, or the ids there are."""
    known = []
    for p, page in enumerate(data.get("pages") or []):
        for b, block in enumerate((page or {}).get("blocks") or []):
            if isinstance(block, dict) and len(block) == 1:
                kind, body = next(iter(block.items()))
                if isinstance(body, dict) and body.get("id") is not None:
                    known.append(str(body["id"]))
                    if str(body["id"]) == block_id:
                        return p, b, kind
    return known


def _unknown_block(
    block_id: str, known: list[str], source_map: SourceMap, at: KeyPath
) -> SpecError:
    return SpecError(
        f"override names unknown block id '{block_id}'",
        source_map.locate(at, at_key=True),
        did_you_mean(block_id, known) or f"ids: {', '.join(known) or 'none'}",
    )


def _what(path: KeyPath, data: dict[str, Any]) -> str:
    """A field in the reader's terms: "`text` of block 'trends'", "`where.year` of
    figure 'pop'", "`document.subtitle`"."""
    if path[0] == "pages" and len(path) > 5:
        body = data["pages"][path[1]]["blocks"][path[3]][path[4]]
        name = body.get("id") if isinstance(body, dict) else None
        block = f"block '{name}'" if name else f"block {format_key_path(path[:4])}"
        return f"`{format_key_path(path[5:])}` of {block}"
    if path[0] == "figures" and len(path) > 2:
        return f"`{format_key_path(path[2:])}` of figure '{path[1]}'"
    return f"`{format_key_path(path)}`"


def replaced_problems(
    replaced: Mapping[Replaced, list[str]], section: Editions
) -> dict[Replaced, SpecError]:
    """One error per change lost, naming the override and how many editions it is
    lost in (the report names them)."""
    errors = {}
    for lost, labels in replaced.items():
        when = _when_text(section.overrides[lost.number].when)
        at = lost.override
        where = f"{display_path(at.file)}:{at.line}:{at.column}" if at.file else "?"
        count = "that edition" if len(labels) == 1 else f"those {len(labels)} editions"
        errors[lost] = SpecError(
            f"{lost.what} is changed here, but the base spec's override at {where} "
            f"(`editions.overrides[{lost.number}]`, when {when}) sets it again after this "
            f"spec's changes: in {count} the change would not show",
            lost.changed,
            "to change it there too, write `editions.overrides` in this spec (a list "
            "replaces the base's: copy the base's overrides and change this one), or make "
            "the change in the base spec",
        )
    return errors


def _when_text(when: KeyFilter) -> str:
    parts = []
    for key, wanted in when.items():
        values = wanted if isinstance(wanted, list) else [wanted]
        shown = ", ".join(str(v) for v in values)
        parts.append(f"{key}: [{shown}]" if isinstance(wanted, list) else f"{key}: {shown}")
    return "{" + ", ".join(parts) + "}"


# --- `when` -----------------------------------------------------------------------------


def when_problems(
    section: Editions,
    values: Mapping[str, list[str]],
    matched: Sequence[bool],
    source_map: SourceMap,
    text: Callable[[Any], str],
) -> list[FactsheetError]:
    """An override (or exclusion) naming a key value no edition has is an error, with a
    did-you-mean over the key's values; so is an override that matches no edition.
    `text` turns a value as written into a key value (`2021` into "2021")."""
    problems: list[FactsheetError] = []
    rules: list[tuple[KeyPath, KeyFilter, bool]] = [
        (("editions", "overrides", n, "when"), o.when, matched[n])
        for n, o in enumerate(section.overrides)
    ]
    rules += [(("editions", "exclude", n), rule, True) for n, rule in enumerate(section.exclude)]
    for at, rule, matches in rules:
        found = _unknown_values(rule, values, at, source_map, text)
        problems += found
        if not found and not matches:
            problems.append(
                SpecError(
                    f"this override matches no edition (when {_when_text(rule)})",
                    source_map.locate(at),
                    "every edition it names is left out by `editions.exclude`",
                )
            )
    return problems


def _unknown_values(
    rule: KeyFilter,
    values: Mapping[str, list[str]],
    at: KeyPath,
    source_map: SourceMap,
    text: Callable[[Any], str],
) -> list[FactsheetError]:
    problems: list[FactsheetError] = []
    for key, wanted in rule.items():
        options = wanted if isinstance(wanted, list) else [wanted]
        for position, option in enumerate(options):
            value = text(option)
            if value in values[key]:
                continue
            path = (*at, key, position) if isinstance(wanted, list) else (*at, key)
            problems.append(
                SpecError(
                    f"no edition has {key} '{value}', so this matches nothing",
                    source_map.locate(path),
                    did_you_mean(value, values[key]) or _values_hint(key, values[key]),
                )
            )
    return problems


def _values_hint(key: str, values: list[str], shown: int = 12) -> str:
    listed = ", ".join(values[:shown])
    more = f" and {len(values) - shown} more" if len(values) > shown else ""
    return f"the values of '{key}': {listed}{more}"
