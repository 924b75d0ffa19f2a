"""`extends: 2021.yaml`: a spec that takes a base spec and changes what differs. The
spec's own mappings are merged into the base's, key by key and level by level (a `null`
removes a key); a list given replaces the base's list. Blocks are changed, added, moved
or removed by `id` under the top-level `blocks:` key. A base may extend another base.

Every value keeps the mark of the file and line it was written on, so an error in a
value that came from the base points at the base file. Paths inside the spec (data,
images, outputs) stay relative to the project, and a base must be inside the project."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from pydantic import BeforeValidator

from factsheet.errors import MissingInputError, SpecError, did_you_mean
from factsheet.location import KeyPath, display_path
from factsheet.spec.loader import LoadedYaml, SourceMap, load_yaml

POSITIONS = ("after", "before")


@dataclass
class _Node:
    """A value with the file and key path it was written at."""

    value: Any  # dict[str, _Node], list[_Node] or a scalar
    origin: SourceMap
    path: KeyPath


def load_spec_yaml(path: Path, root: Path) -> LoadedYaml:
    """A spec file's values and source map, with its `extends` chain merged in."""
    return _load(path, root, ())


def _load(path: Path, root: Path, seen: tuple[Path, ...]) -> LoadedYaml:
    loaded = load_yaml(path)
    data = loaded.data
    if not isinstance(data, dict) or ("extends" not in data and "blocks" not in data):
        return LoadedYaml(data, loaded.source_map, (path,))
    source_map = loaded.source_map
    if "extends" not in data:
        raise SpecError(
            "`blocks` changes the blocks of a base spec, but this spec `extends` none",
            source_map.locate(("blocks",), at_key=True),
            "add `extends: <base spec>.yaml`, or put the blocks under `pages`",
        )
    base_path = _base_path(data["extends"], path, root, source_map)
    chain = (*seen, path.resolve())
    if base_path in chain:
        named = (*chain[chain.index(base_path) :], base_path)
        loop = " → ".join(str(p.relative_to(root.resolve())) for p in named)
        raise SpecError(
            f"`extends` makes a loop: {loop}",
            source_map.locate(("extends",)),
            "a spec cannot be its own base",
        )
    base = _load(base_path, root, chain)
    merged, removed = _merge(_wrap(base.data, base.source_map, ()), _wrap(data, source_map, ()))
    result = SourceMap(path)
    flat = _flatten(merged, (), result)
    return LoadedYaml(flat, result, (path, *base.files), base.removed | removed)


def _base_path(written: Any, path: Path, root: Path, source_map: SourceMap) -> Path:
    """The base spec's file: relative to the spec's folder, inside the project."""
    where = source_map.locate(("extends",))
    if not isinstance(written, str) or not written.strip():
        raise SpecError("`extends` takes the path of a base spec, such as 2021.yaml", where)
    if Path(written).is_absolute() or written.startswith("~"):
        raise SpecError(f"`extends` path '{written}' must be relative to this spec's folder", where)
    base = (path.parent / written).resolve()
    if not base.is_relative_to(root.resolve()):
        raise SpecError(
            f"the base spec '{written}' is outside the project",
            where,
            f"keep base specs inside {display_path(root)}",
        )
    if not base.is_file():
        near = [p.name for p in path.parent.glob("*.y*ml") if p.resolve() != path.resolve()]
        hint = did_you_mean(Path(written).name, near) or "the path is taken from this spec's folder"
        raise MissingInputError(f"the base spec '{written}' does not exist", where, hint)
    return base


def _wrap(value: Any, origin: SourceMap, path: KeyPath) -> _Node:
    if isinstance(value, dict):
        return _Node({k: _wrap(v, origin, (*path, k)) for k, v in value.items()}, origin, path)
    if isinstance(value, list):
        return _Node([_wrap(v, origin, (*path, i)) for i, v in enumerate(value)], origin, path)
    return _Node(value, origin, path)


def _flatten(node: _Node, path: KeyPath, into: SourceMap) -> Any:
    """Plain values again, recording each one's mark under its new path."""
    if (mark := node.origin.values.get(node.path)) is not None:
        into.values[path] = mark
    if path and (key := node.origin.keys.get(node.path)) is not None:
        into.keys[path] = key
    file = node.origin.file_of(node.path)
    if file != into.file:
        into.files[path] = file
    if isinstance(node.value, dict):
        return {k: _flatten(v, (*path, k), into) for k, v in node.value.items()}
    if isinstance(node.value, list):
        return [_flatten(v, (*path, i), into) for i, v in enumerate(node.value)]
    return node.value


def _merge(base: _Node, spec: _Node) -> tuple[_Node, frozenset[str]]:
    """The base with the spec's own values merged in; then its block changes made.
    Also returns the ids of the blocks removed."""
    own = {k: v for k, v in spec.value.items() if k not in ("extends", "blocks")}
    merged = _deep(base, _Node(own, spec.origin, spec.path))
    merged.value.pop("extends", None)
    changes = spec.value.get("blocks")
    if changes is None:
        return merged, frozenset()
    return merged, _change_blocks(merged, changes)


def _deep(base: _Node, spec: _Node) -> _Node:
    """Mappings merge key by key (`null` removes a key); anything else replaces."""
    if not (isinstance(base.value, dict) and isinstance(spec.value, dict)):
        return spec
    out = dict(base.value)
    for key, node in spec.value.items():
        if node.value is None:
            out.pop(key, None)
        elif key in out:
            out[key] = _deep(out[key], node)
        else:
            out[key] = node
    return _Node(out, spec.origin, spec.path)


# --- blocks by id ---------------------------------------------------------------------


def _blocks_by_id(merged: _Node) -> dict[str, tuple[list[_Node], int, str]]:
    """Each block with an id: the list holding it, its position and its kind."""
    found: dict[str, tuple[list[_Node], int, str]] = {}
    pages = merged.value.get("pages")
    for page in pages.value if pages is not None and isinstance(pages.value, list) else []:
        blocks = page.value.get("blocks") if isinstance(page.value, dict) else None
        if blocks is None or not isinstance(blocks.value, list):
            continue
        for index, block in enumerate(blocks.value):
            if isinstance(block.value, dict) and len(block.value) == 1:
                kind, body = next(iter(block.value.items()))
                if isinstance(body.value, dict) and "id" in body.value:
                    found[str(body.value["id"].value)] = (blocks.value, index, kind)
    return found


def _change_blocks(merged: _Node, changes: _Node) -> frozenset[str]:
    if not isinstance(changes.value, dict):
        raise SpecError(
            "`blocks` maps block ids to their changes, such as `trends: {text: …}`",
            changes.origin.locate(changes.path),
        )
    removed: list[str] = []
    previous: str | None = None
    for block_id, change in changes.value.items():
        known = _blocks_by_id(merged)
        if block_id in known:
            block = _change(known, block_id, change)
            if block is None:
                removed.append(block_id)
            elif _positioned(change):
                _insert(_blocks_by_id(merged), block_id, change, block)
        elif change.value is None or not _positioned(change):
            raise SpecError(
                f"the base spec has no block with id '{block_id}'",
                change.origin.locate(change.path, at_key=True),
                _unknown_id_hint(block_id, change, known, removed, previous),
            )
        else:
            _insert(known, block_id, change, _new_block(block_id, change))
        previous = block_id
    return frozenset(removed)


def _unknown_id_hint(
    block_id: str, change: _Node, known: Mapping[str, Any], removed: list[str], previous: str | None
) -> str:
    """Say what most likely happened: a block field written at the level of the ids
    (indented too little) turns the id above it into a removal (`id:` with nothing
    under it is `id: null`)."""
    from factsheet.spec.blocks import BLOCK_KINDS
    from factsheet.spec.strays import kind_fields

    fields = {f for kind in BLOCK_KINDS for f in kind_fields(kind)} - {"id"}
    if previous is not None and previous in removed and block_id in fields:
        return (
            f"`{previous}:` just above has nothing under it, so it removes block "
            f"'{previous}' (as `{previous}: null` does); if `{block_id}` is meant to "
            f"change '{previous}', indent `{block_id}:` under `{previous}:`"
        )
    if block_id in fields:
        return (
            f"`{block_id}` is a field of a block, not a block id: indent it under the id "
            "of the block it changes"
        )
    ids = ", ".join(known) or "none"
    if removed:
        ids += f"; removed above: {', '.join(removed)}"
    add = "to add a block, give it `after: <id>` or `before: <id>`"
    close = did_you_mean(block_id, [*known, *removed])
    if change.value is None:
        return close or f"ids: {ids}"
    return f"{close} Or {add}" if close else f"ids: {ids}; {add}"


def _positioned(change: _Node) -> bool:
    return isinstance(change.value, dict) and any(p in change.value for p in POSITIONS)


def _change(
    known: Mapping[str, tuple[list[_Node], int, str]], block_id: str, change: _Node
) -> _Node | None:
    """Change (or remove) a block of the base. A block to be moved is taken out of its
    list and returned, for the caller to insert at its new place."""
    blocks, index, kind = known[block_id]
    if change.value is None:
        del blocks[index]
        return None
    if not isinstance(change.value, dict):
        raise SpecError(
            f"the change to block '{block_id}' must be a mapping of its fields, "
            "or null to remove it",
            change.origin.locate(change.path),
        )
    fields = {k: v for k, v in change.value.items() if k not in POSITIONS}
    block = blocks[index]
    block.value[kind] = _deep(block.value[kind], _Node(fields, change.origin, change.path))
    if _positioned(change):
        del blocks[index]
    return block


def _new_block(block_id: str, change: _Node) -> _Node:
    """A block from `{after: id, <kind>: {...}}`, with `block_id` as its id."""
    kinds = [k for k in change.value if k not in POSITIONS]
    where = change.origin.locate(change.path)
    if len(kinds) != 1:
        from factsheet.spec.strays import stray_fields

        plain = {k: change.value[k].value for k in kinds}
        stray = stray_fields({k: {} if isinstance(v, dict) else v for k, v in plain.items()})
        if stray is not None:
            raise SpecError(f"the new block '{block_id}': {stray}", where)
        raise SpecError(
            f"the new block '{block_id}' names {len(kinds)} kinds; give exactly one, "
            "such as `paragraph: {text: …}`",
            where,
        )
    kind = kinds[0]
    body = change.value[kind]
    if not isinstance(body.value, dict):
        body = _Node(_shorthand(kind, body), body.origin, body.path)
    id_node = _Node(block_id, change.origin, change.path)
    value = {"id": id_node, **{k: v for k, v in body.value.items() if k != "id"}}
    return _Node({kind: _Node(value, body.origin, body.path)}, change.origin, change.path)


def _shorthand(kind: str, body: _Node) -> dict[str, _Node]:
    """`paragraph: "Text"` written for a new block, as `{text: "Text"}`."""
    from factsheet.spec.blocks import Block

    value: Any = body.value
    info = Block.model_fields.get(kind)
    for step in info.metadata if info is not None else ():
        if isinstance(step, BeforeValidator):
            value = cast(Callable[[Any], Any], step.func)(value)
    if not isinstance(value, dict):
        raise SpecError(
            f"a new `{kind}` block is written as a mapping of its fields",
            body.origin.locate(body.path),
        )
    return {
        k: body if v is body.value else _Node(v, body.origin, body.path) for k, v in value.items()
    }


def _insert(
    known: Mapping[str, tuple[list[_Node], int, str]], block_id: str, change: _Node, block: _Node
) -> None:
    position = next(p for p in POSITIONS if p in change.value)
    anchor = change.value[position]
    target = str(anchor.value)
    if target not in known:
        raise SpecError(
            f"`{position}` names no block: there is no block with id '{target}'",
            anchor.origin.locate(anchor.path),
            did_you_mean(target, known) or f"ids: {', '.join(known) or 'none'}",
        )
    blocks, index, _ = known[target]
    blocks.insert(index + 1 if position == "after" else index, block)
