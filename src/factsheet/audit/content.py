"""Walking content streams: which painting operators lie outside marked content, which
MCIDs a page's content holds, where an artifact and tagged content nest in each other,
and which fonts show text. Form XObjects are followed with the marked-content stack of
the `Do` that paints them (their content lies inside the invoking sequence); annotation
appearance streams are walked for their fonts only. A form reached again through itself
is not followed twice."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pikepdf

PAINTING = {
    "Tj": "show text",
    "TJ": "show text",
    "'": "show text",
    '"': "show text",
    "S": "stroke a path",
    "s": "stroke a path",
    "f": "fill a path",
    "F": "fill a path",
    "f*": "fill a path",
    "B": "fill and stroke a path",
    "B*": "fill and stroke a path",
    "b": "fill and stroke a path",
    "b*": "fill and stroke a path",
    "sh": "paint a shading",
}
TEXT_SHOW = {"Tj", "TJ", "'", '"'}
MAX_FORM_DEPTH = 32


@dataclass
class Frame:
    """One open marked-content sequence: an artifact, tagged (it has an MCID), or
    neither (a /Span with /ActualText, a BMC of some other tag)."""

    artifact: bool
    mcid: int | None


@dataclass
class PageScan:
    """What one page's content holds."""

    untagged: int = 0
    first_untagged: str = ""
    mcids: Counter[int] = field(default_factory=Counter)
    nesting: list[str] = field(default_factory=list)
    fonts: dict[tuple[int, int], tuple[Any, str]] = field(default_factory=dict)
    unbalanced: int = 0
    rgb: bool = False  # paints in DeviceRGB (rg, RG, an RGB image)


@dataclass
class _State:
    stack: list[Frame]
    font: Any = None
    invisible: bool = False
    saved: list[tuple[Any, bool]] = field(default_factory=list)


def scan_page(page: pikepdf.Page) -> PageScan:
    """Marked content, untagged painting and fonts of one page's content streams."""
    import pikepdf

    scan = PageScan()
    state = _State([])
    resources = page.obj.get("/Resources")
    instructions = pikepdf.parse_content_stream(page)
    _walk(instructions, resources, state, scan, set(), 0, tags=True)
    scan.unbalanced += len(state.stack)
    return scan


def scan_fonts(stream: pikepdf.Stream, scan: PageScan) -> None:
    """Fonts that show text in an annotation appearance stream (not page content)."""
    import pikepdf

    instructions = pikepdf.parse_content_stream(stream)
    _walk(instructions, stream.get("/Resources"), _State([]), scan, set(), 0, tags=False)


def _walk(
    instructions: Any,
    resources: Any,
    state: _State,
    scan: PageScan,
    forms: set[tuple[int, int]],
    depth: int,
    tags: bool,
) -> None:
    import pikepdf

    for instruction in instructions:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            _paint(state, scan, "BI", "an inline image", tags)
            continue
        operator = str(instruction.operator)
        operands = instruction.operands
        if operator in ("BDC", "BMC"):
            _open(operands, resources, state, scan, tags)
        elif operator == "EMC":
            if state.stack:
                state.stack.pop()
            else:
                scan.unbalanced += 1
        elif operator == "q":
            state.saved.append((state.font, state.invisible))
        elif operator == "Q" and state.saved:
            state.font, state.invisible = state.saved.pop()
        elif operator == "Tf" and operands:
            state.font = _resource(resources, "/Font", operands[0])
        elif operator == "Tr" and operands:
            state.invisible = operands[0] == 3
        elif operator in ("rg", "RG") or (
            operator in ("cs", "CS") and operands and operands[0] == "/DeviceRGB"
        ):
            scan.rgb = True
        elif operator == "Do" and operands:
            _do(operands[0], resources, state, scan, forms, depth, tags)
        elif operator in PAINTING:
            _paint(state, scan, operator, PAINTING[operator], tags)
            if operator in TEXT_SHOW and not state.invisible:
                _use_font(state.font, operands, scan)


def _open(operands: Any, resources: Any, state: _State, scan: PageScan, tags: bool) -> None:
    import pikepdf

    tag = str(operands[0]) if operands else ""
    props = operands[1] if len(operands) > 1 else None
    if isinstance(props, pikepdf.Name):
        props = _resource(resources, "/Properties", props)
    mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
    frame = Frame(tag == "/Artifact", int(mcid) if isinstance(mcid, int) else None)
    if tags:
        inside_tagged = any(f.mcid is not None and not f.artifact for f in state.stack)
        inside_artifact = any(f.artifact for f in state.stack)
        if frame.artifact and inside_tagged:
            scan.nesting.append("an /Artifact sequence opens inside tagged content")
        elif frame.mcid is not None and inside_artifact:
            scan.nesting.append(f"tagged content (MCID {frame.mcid}) opens inside an /Artifact")
        if frame.mcid is not None and not frame.artifact:
            scan.mcids[frame.mcid] += 1
    state.stack.append(frame)


def _paint(state: _State, scan: PageScan, operator: str, what: str, tags: bool) -> None:
    if not tags or any(f.artifact or f.mcid is not None for f in state.stack):
        return
    scan.untagged += 1
    if not scan.first_untagged:
        scan.first_untagged = f"`{operator}` ({what})"


def _do(
    name: Any,
    resources: Any,
    state: _State,
    scan: PageScan,
    forms: set[tuple[int, int]],
    depth: int,
    tags: bool,
) -> None:
    import pikepdf

    xobject = _resource(resources, "/XObject", name)
    if not isinstance(xobject, pikepdf.Stream):
        return
    subtype = xobject.get("/Subtype")
    if subtype == pikepdf.Name.Image:
        scan.rgb = scan.rgb or xobject.get("/ColorSpace") == pikepdf.Name.DeviceRGB
        _paint(state, scan, "Do", f"an image, {name}", tags)
    elif subtype == pikepdf.Name.Form:
        key = xobject.objgen
        if key in forms or depth >= MAX_FORM_DEPTH:
            return
        inner = xobject.get("/Resources", resources)
        instructions = pikepdf.parse_content_stream(xobject)
        saved = (state.font, state.invisible, len(state.stack))
        _walk(instructions, inner, state, scan, forms | {key}, depth + 1, tags)
        state.font, state.invisible = saved[0], saved[1]
        del state.stack[saved[2] :]  # a form cannot close its caller's sequences


def _resource(resources: Any, kind: str, name: Any) -> Any:
    import pikepdf

    if not isinstance(resources, pikepdf.Dictionary) or not isinstance(name, pikepdf.Name):
        return None
    group = resources.get(kind)
    if not isinstance(group, pikepdf.Dictionary):
        return None
    return group.get(str(name))


def _use_font(font: Any, operands: Any, scan: PageScan) -> None:
    import pikepdf

    if isinstance(font, pikepdf.Dictionary) and font.objgen not in scan.fonts:
        scan.fonts[font.objgen] = (font, str(font.get("/BaseFont", "?")))
