"""What each drawn thing is to a reader: the roles blocks give their flowables, so that
the renderer can write a tagged PDF (PDF/UA) without knowing any block kind. A block
builds a small tree of :class:`Node` objects (a quote's BlockQuote with its paragraphs,
a table's rows and cells), attaches one :data:`Tag` to each flowable it returns, and
the renderer marks what each flowable paints with that tag. Anything that only
decorates (backgrounds, rules, the quote mark, a chart's tick labels) is an
:class:`Artifact`. Nodes are compared by identity: a paragraph split across columns
keeps its one node, and so stays one paragraph for a screen reader."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4) that the blocks use.
ROLES = frozenset(
    [
        "Document",
        "Part",
        "Sect",
        "Div",
        "BlockQuote",
        "Caption",
        "P",
        "H1",
        "H2",
        "H3",
        "H4",
        "H5",
        "H6",
        "L",
        "LI",
        "Lbl",
        "LBody",
        "Table",
        "THead",
        "TBody",
        "TFoot",
        "TR",
        "TH",
        "TD",
        "Figure",
        "Link",
        "Span",
        "Quote",
    ]
)
ARTIFACT_TYPES = frozenset(["Pagination", "Layout", "Page", "Background"])


@dataclass(frozen=True, eq=False)
class Node:
    """One structure element. `parent` None puts it directly under the document."""

    role: str
    parent: Node | None = None
    alt: str | None = None
    """A Figure's text alternative, read instead of its content."""
    scope: str | None = None
    """A table header cell's scope: Row, Column or Both."""
    repeats: bool = False
    """Drawn again where it was drawn before (a table header repeated after a break):
    every drawing after the first is an artifact, so the header is read once."""
    lang: str | None = None
    """The language of this element when it differs from the document's."""

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"not a standard structure type: {self.role}")
        if self.role == "Figure" and not (self.alt or "").strip():
            raise ValueError("a Figure needs its text alternative")

    def child(self, role: str, **fields: Any) -> Node:
        return Node(role, self, **fields)


@dataclass(frozen=True)
class Artifact:
    """Something drawn that is not content: read by no one."""

    type: str = "Layout"
    subtype: str | None = None  # Header, Footer or Watermark for pagination artifacts

    def __post_init__(self) -> None:
        if self.type not in ARTIFACT_TYPES:
            raise ValueError(f"not an artifact type: {self.type}")


Tag = Node | Artifact
# A flowable's tag may also be None: it holds parts with tags of their own (a box, a
# table, a band) and marks each as it draws it (`marks_own_content`).
Placed = Tag | None

DECORATION = Artifact("Layout")
BACKGROUND = Artifact("Background")
FOOTER = Artifact("Pagination", "Footer")


def each(flowables: list[Any], role: str = "P", parent: Node | None = None) -> list[Tag]:
    """One node of `role` per flowable (paragraphs are shared between documents, so
    tags travel beside flowables, never on them)."""
    return [Node(role, parent) for _ in flowables]
