"""YAML in, plain Python values plus a source map out. The source map remembers where
each key and value stood (line and column), so any later stage can point at the spec
line that caused a problem. Loading is safe and bounded: duplicate keys are refused,
aliases cannot blow up, nesting is capped, tags other than YAML's own are refused, text
holding control characters (ESC, NUL, the bidi overrides) is refused at its line and
column, and implicit typing follows YAML 1.2 so `NO` stays text and a scalar written as
`1.10` keeps its text for fields that are declared as strings."""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from factsheet.errors import MissingInputError, SpecError
from factsheet.location import KeyPath, Location
from factsheet.security import CONTROL, describe_control
from factsheet.spec.syntax import syntax_error

MAX_NODES = 200_000  # bounds alias expansion ("billion laughs")
MAX_BYTES = 2_000_000
MAX_DEPTH = 64  # a spec nests some 10 levels; Python's own recursion stops near 1000
_CONTAINER_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


class YamlInt(int):
    """An int that remembers the text it was written as."""

    raw: str


class YamlFloat(float):
    """A float that remembers the text it was written as."""

    raw: str


# libyaml's parser is some 15 times faster; the resolver and constructor stay Python's.
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeBase):  # type: ignore[valid-type, misc]
    """SafeLoader with YAML 1.2 core-schema implicit types instead of YAML 1.1's."""


_Loader.yaml_implicit_resolvers = {}
for _tag, _regexp, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", "<"),  # `<<: *defaults` shares settings
    ("tag:yaml.org,2002:int", r"^[-+]?[0-9]+$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$",
        "-+.0123456789",
    ),
):
    _Loader.add_implicit_resolver(_tag, re.compile(_regexp), list(_first))


def _construct_int(loader: yaml.SafeLoader, node: ScalarNode) -> int:
    """YAML 1.2 integers are decimal: `0755` is 755 (not 1.1's octal) and `08` is 8."""
    return int(str(loader.construct_scalar(node)), 10)


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


@dataclass
class SourceMap:
    """Line and column (1-based) of every key and value, by key path. A spec that
    `extends` another holds values from several files: `files` names the file of each
    mark that comes from another file than `file`."""

    file: Path
    values: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    files: dict[KeyPath, Path] = field(default_factory=dict)

    def graft(self, target: KeyPath, source: KeyPath) -> SourceMap:
        """A copy in which the marks under `target` are those found under `source`:
        a value copied from `source` to `target` still points at where it was written."""
        grafted = SourceMap(self.file, dict(self.values), dict(self.keys), dict(self.files))
        depth = len(source)
        for table, new in ((self.values, grafted.values), (self.keys, grafted.keys)):
            for path, mark in table.items():
                if path[:depth] == source:
                    moved = (*target, *path[depth:])
                    new[moved] = mark
                    if path in self.files:
                        grafted.files[moved] = self.files[path]
                    else:
                        grafted.files.pop(moved, None)
        return grafted

    def without_item(self, path: KeyPath, index: int) -> SourceMap:
        """A copy for the list at `path` with its item `index` removed: the marks of
        that item are dropped and those of the items after it move up one place."""
        depth = len(path)
        moved = SourceMap(self.file)

        def new_path(old: KeyPath) -> KeyPath | None:
            if len(old) <= depth or old[:depth] != path or not isinstance(old[depth], int):
                return old
            position = int(old[depth])
            if position == index:
                return None
            return old if position < index else (*path, position - 1, *old[depth + 1 :])

        for table, new in ((self.values, moved.values), (self.keys, moved.keys)):
            for old, mark in table.items():
                if (target := new_path(old)) is not None:
                    new[target] = mark
        for old, file in self.files.items():
            if (target := new_path(old)) is not None:
                moved.files[target] = file
        return moved

    def file_of(self, path: KeyPath) -> Path:
        """The file the value at `path` was written in."""
        return self.files.get(path, self.file)

    def locate(self, path: KeyPath, *, at_key: bool = False) -> Location:
        """Location of `path`, or of its nearest ancestor that the file spells out."""
        table = self.keys if at_key else self.values
        probe = tuple(path)
        while probe and probe not in table and probe not in self.values:
            probe = probe[:-1]
        line_col = table.get(probe) or self.values.get(probe)
        if line_col is None:
            return Location(self.file, key_path=tuple(path))
        return Location(self.file_of(probe), line_col[0], line_col[1], tuple(path))


@dataclass(frozen=True)
class LoadedYaml:
    """A YAML file's values and source map; for a spec that `extends` others, the
    merged values, and every file read (the spec's own first)."""

    data: Any
    source_map: SourceMap
    files: tuple[Path, ...] = ()
    removed: frozenset[str] = frozenset()
    """Ids of the blocks a spec of the chain removed from its base (`id: null`)."""


def load_yaml(path: Path) -> LoadedYaml:
    """Read a YAML file into plain values and a source map."""
    text = _read_text(path)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise syntax_error(path, exc, text) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line, column = _line_column(text, exc.position)
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        raise SpecError(
            f"YAML does not allow the character {char} here ({exc.reason})",
            Location(path, line, column),
            hint="remove it, or quote the text",
        ) from None
    except RecursionError:  # the pure-Python parser, when libyaml is missing
        raise _too_deep(Location(path)) from None
    source_map = SourceMap(path)
    if node is None:
        return LoadedYaml({}, source_map)
    builder = _Builder(source_map, text)
    builder.root = node
    return LoadedYaml(builder.build(node, ()), source_map)


def _distinct_nodes(root: Node, cap: int) -> int:
    """How many values the file writes (what an alias names counted once, as it is in
    the node tree; keys not counted, as `_Builder` counts), counting no further than
    `cap`."""
    seen: set[int] = set()
    stack = [root]
    while stack and len(seen) < cap:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            stack.extend(value for _, value in node.value)  # keys are not counted
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return len(seen)


def _read_text(path: Path) -> str:
    """The text of the file at `path`: a regular file, at most MAX_BYTES, in UTF-8."""
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            what = "a folder" if stat.S_ISDIR(mode) else "a device, pipe or socket"
            raise MissingInputError(
                f"this is not a regular file (it is {what})",
                Location(path),
                hint="name a .yaml file",
            )
        if path.stat().st_size > MAX_BYTES:
            raise SpecError(f"file is larger than {MAX_BYTES // 1_000_000} MB", Location(path))
        data = path.read_bytes()
    except FileNotFoundError:
        raise MissingInputError(f"file '{path}' does not exist", Location(path)) from None
    except OSError as exc:
        raise MissingInputError(f"cannot read file: {exc.strerror}", Location(path)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SpecError(
            f"the file is not UTF-8 text: byte {exc.start} (0x{data[exc.start]:02X}) "
            f"cannot be read ({exc.reason})",
            Location(path, line, column),
            hint="save the file as UTF-8 in your editor",
        ) from None


def _line_column(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, len(before.rsplit("\n", 1)[-1]) + 1


def _too_deep(where: Location) -> SpecError:
    return SpecError(
        f"the YAML nests more than {MAX_DEPTH} levels deep here",
        where,
        hint="a spec or theme never needs that many: look for brackets that are not closed",
    )


class _Builder:
    """Turns a composed node tree into values, recording marks and counting nodes."""

    def __init__(self, source_map: SourceMap, text: str = "") -> None:
        self.map = source_map
        self.text = text
        # A control character is either written as is or made by an escape (`\e`).
        self.controls = "\\" in text or CONTROL.search(text) is not None
        self.count = 0
        self.constructor = _Loader("")
        self.root: Node | None = None

    def build(self, node: Node, path: KeyPath) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self._too_many(path)
        self.map.values.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, MappingNode | SequenceNode):
            if len(path) >= MAX_DEPTH:
                raise _too_deep(self._at(node, ()))  # a key path that long says nothing
            if node.tag not in _CONTAINER_TAGS:
                tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
                what = "mapping" if isinstance(node, MappingNode) else "list"
                raise SpecError(
                    f"the YAML tag '{tag}' is not allowed on a {what}",
                    self._at(node, path),
                    hint="remove the tag: a spec holds plain mappings, lists and values",
                )
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        return self._scalar(node, path)

    def _too_many(self, path: KeyPath) -> SpecError:
        """Over MAX_NODES values: through aliases (`*name`, repeated each time they are
        used) only if the file itself writes fewer."""
        written = _distinct_nodes(self.root, MAX_NODES + 1) if self.root is not None else 0
        if written > MAX_NODES:
            return SpecError(
                f"the file holds over {MAX_NODES:,} values, the limit for a spec or theme",
                self.map.locate(path),
                hint="a spec needs a few hundred; put long lists of values in a data file",
            )
        return SpecError(
            f"the YAML expands to over {MAX_NODES:,} values through its aliases (`*name`), "
            "the limit for a spec or theme",
            self.map.locate(path),
            hint="an alias repeats all it names each time it is used: aliases of lists that "
            "hold aliases multiply; write the values out or use fewer aliases",
        )

    def _at(self, node: Node, path: KeyPath) -> Location:
        return Location(self.map.file, node.start_mark.line + 1, node.start_mark.column + 1, path)

    def _mapping(self, node: MappingNode, path: KeyPath) -> dict[str, Any]:
        own = {id(k) for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge"}
        self.constructor.flatten_mapping(node)  # puts `<<: *anchor` keys first
        out: dict[str, Any] = {}
        merged: set[str] = set()
        for key_node, value_node in node.value:
            key = self._construct(key_node)
            where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key, str | int) or isinstance(key, bool):
                raise _bad_key(key, Location(self.map.file, *where, path))
            key = str(key)
            self._plain_text(key, key_node, path)
            if id(key_node) not in own:
                merged.add(key)
            elif key in merged:
                merged.discard(key)  # a key written here overrides the merged one
            elif key in out:
                raise SpecError(
                    f"duplicate key '{key}' (first given on line {self.map.keys[(*path, key)][0]})",
                    Location(self.map.file, *where, (*path, key)),
                )
            self.map.keys[(*path, key)] = where
            out[key] = self.build(value_node, (*path, key))
        return out

    def _construct(self, node: Node) -> Any:
        """A node's value; a bad explicit tag (`!foo`, `!!int x`) is a located SpecError."""
        try:
            return self.constructor.construct_object(node)
        except (yaml.YAMLError, ValueError, TypeError, AttributeError):
            tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            where = (node.start_mark.line + 1, node.start_mark.column + 1)
            raise SpecError(
                f"cannot read {node.value!r} as YAML tag '{tag}'", Location(self.map.file, *where)
            ) from None

    def _plain_text(self, value: str, node: Node, path: KeyPath) -> None:
        """Refuse a control character: it could drive the terminal that prints an error
        quoting this text, and it has no place in a PDF."""
        found = CONTROL.search(value) if self.controls else None
        if found is None:
            return
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        raw = self.text[node.start_mark.index : node.end_mark.index]
        if found.group() in raw:  # written as is, not as an escape: point at it
            line, column = _line_column(raw, raw.index(found.group()))
            line += node.start_mark.line
            column += node.start_mark.column if line == node.start_mark.line + 1 else 0
        raise SpecError(
            f"the text holds the control character {describe_control(found.group())}, which "
            "could change how text or messages are shown",
            Location(self.map.file, line, column, path),
            hint="remove it; in quotes, an escape such as \\e, \\a or \\u202e writes one",
        )

    def _scalar(self, node: ScalarNode, path: KeyPath = ()) -> Any:
        value = self._construct(node)
        if isinstance(value, str):
            self._plain_text(value, node, path)
        plain = not node.style  # None from the Python parser, "" from libyaml
        if plain and isinstance(value, int | float) and not isinstance(value, bool):
            typed: YamlInt | YamlFloat = (
                YamlInt(value) if isinstance(value, int) else YamlFloat(value)
            )
            typed.raw = node.value
            return typed
        return value


def _bad_key(key: object, where: Location) -> SpecError:
    """A key that is not a name: `null:` or an empty key, `true:`, a list."""
    if key is None:
        return SpecError(
            "a key here is empty or `null`; a key is a name, such as a field or a block id",
            where,
            "write the name before `: `; to give a key no value, write `name: null` on one "
            'line (not `{null}`); put `"null"` in quotes if it is the name',
        )
    if isinstance(key, bool):
        return SpecError(
            f"the key {str(key).lower()} is read as true/false, not as a name",
            where,
            f'put it in quotes: `"{str(key).lower()}": …`',
        )
    what = (
        "a list" if isinstance(key, list) else "a mapping" if isinstance(key, dict) else "a value"
    )
    return SpecError(f"a key must be a name, not {what}", where, "put the key in quotes")


def copy_tree(node: Any) -> Any:
    """A copy of a loaded tree whose mappings and lists are new and whose values are
    shared: every value a spec's YAML makes (text, numbers, booleans, null) is
    immutable. Five times faster than ``copy.deepcopy``, which every edition pays."""
    if isinstance(node, dict):
        return {key: copy_tree(value) for key, value in node.items()}
    if isinstance(node, list):
        return [copy_tree(value) for value in node]
    return node
