"""PowerPoint decks (.pptx, .pptm) read with python-pptx; page = slide number.

Each non-empty paragraph of a text frame is one block, each non-empty table cell one TABLE_CELL
block; a block's bbox is its shape's box in points, group transforms applied. Pictures, charts,
OLE objects and SmartArt give no blocks.

Reading order: title placeholders first, then an XY cut that prefers columns - shapes whose
horizontal ranges overlap form a column, columns go left to right, a column top to bottom
(recursively, so a banner under two columns comes last). A group is one unit in that order and
its children are ordered the same way inside it.

Bullets are the effective ones, looked up as PowerPoint does: the paragraph's a:pPr, then the
level's a:lvlNpPr in the shape's list style, the layout placeholder's, the master placeholder's,
then the master's title/body/other text style (and the presentation's default for text boxes).
"""

from __future__ import annotations

import logging
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.exc import InvalidXmlError, PackageNotFoundError
from pptx.parts.coreprops import CorePropertiesPart
from pptx.shapes.group import GroupShape
from pptx.util import Length

from smartspec.extractors.document import (
    HEADING,
    LIST_ITEM,
    PARAGRAPH,
    TABLE_CELL,
    TITLE,
    BBox,
    Block,
    Document,
    Provenance,
)
from smartspec.extractors.errors import UnreadableDocument
from smartspec.extractors.hashing import FileHash
from smartspec.extractors.readers._files import file_facts
from smartspec.extractors.readers._ooxml import check_package, core_properties_part

logger = logging.getLogger(__name__)

_READER = "pptx"
_OVERLAP_SLACK_PT = 6.0  # boxes overlapping by no more than this still sit side by side
_HEADING_MAX_CHARS = 150  # a longer bold paragraph is emphasised prose, not a heading
# At least this many shapes of one size in a row (or a column), each holding one paragraph
# and no placeholder, are tiles: the items of a list drawn as boxes ("four focus areas").
_TILE_MIN = 3
_TILE_SLACK_PT = 2.0  # sizes and edges within this are the same

_NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
}
_A = f"{{{_NS['a']}}}"
_BULLET_TAGS = {f"{_A}buNone", f"{_A}buChar", f"{_A}buAutoNum", f"{_A}buBlip"}
_TITLE_TYPES = frozenset({"title", "ctrTitle"})
_SKIPPED_TYPES = frozenset({"dt", "sldNum"})  # dates and slide numbers are page furniture
_OTHER_TYPES = frozenset({"dt", "ftr", "sldNum", "hdr"})  # styled by the master's otherStyle
_NUMBER_FORMS = (("ParenBoth", "({})"), ("ParenR", "{})"), ("Period", "{}."))
# What a damaged package or part raises inside python-pptx, lxml and zipfile.
_DAMAGE = (PackageNotFoundError, InvalidXmlError, zipfile.BadZipFile, zlib.error,
           etree.XMLSyntaxError, KeyError, ValueError, EOFError)
# What python-pptx itself raises while it loads a package with damaged relationships (a
# .rels part whose root is not <Relationships>, a relationship without a target, a slide
# stored under a foreign content type); only caught around python-pptx's own loading.
_LOAD_DAMAGE = (*_DAMAGE, AttributeError, TypeError)


def read(path: Path, *, source_id: str, hashed: FileHash | None = None) -> Document:
    size, sha256 = file_facts(path, source_id=source_id, hashed=hashed)
    check_package(path, source_id=source_id)
    try:
        prs = Presentation(str(path))
        slides = list(prs.slides)  # a slide part declared with a foreign content type fails here
    except _LOAD_DAMAGE as e:
        raise UnreadableDocument(source_id, "read", f"not a valid PPTX package: {e}") from e
    blocks: list[Block] = []
    try:
        default_style = prs.part._element.find("p:defaultTextStyle", _NS)
        for page, slide in enumerate(slides, start=1):
            slide_blocks = list(_slide_blocks(slide, page, source_id, default_style))
            logger.debug("%s: slide %d: %d blocks", source_id, page, len(slide_blocks))
            blocks.extend(slide_blocks)
        core_title, metadata = _core_properties(prs, source_id)
    except _DAMAGE as e:
        raise UnreadableDocument(source_id, "read", f"damaged PPTX part: {type(e).__name__}: {e}") from e
    first_title = next((b.text for b in blocks if b.kind == TITLE or (b.kind, b.level) == (HEADING, 1)), "")
    return Document(
        source_id=source_id, path=str(path), format="pptm" if path.suffix.lower() == ".pptm" else "pptx",
        sha256=sha256, blocks=tuple(blocks), pages=len(slides), bytes=size,
        title=core_title or first_title, metadata=metadata,
    )


def _core_properties(prs, source_id: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    # python-pptx invents core properties ("PowerPoint Presentation") for a deck without: ask first
    if core_properties_part(prs.part.package, CorePropertiesPart, source_id) is None:
        return "", ()
    core = prs.core_properties
    facts = {"author": core.author, "last_modified_by": core.last_modified_by, "subject": core.subject,
             "created": core.created.isoformat() if core.created else "",
             "modified": core.modified.isoformat() if core.modified else "",
             "revision": str(core.revision or "")}
    return (core.title or "").strip(), tuple((k, v.strip()) for k, v in facts.items() if v and v.strip())


# --- geometry and reading order ------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Transform:
    """Maps a shape's own EMU coordinates to slide EMU: x' = sx * x + dx."""

    sx: float = 1.0
    sy: float = 1.0
    dx: float = 0.0
    dy: float = 0.0

    def box(self, left: int, top: int, width: int, height: int) -> BBox:
        x0, y0 = self.sx * left + self.dx, self.sy * top + self.dy
        x1, y1 = x0 + self.sx * width, y0 + self.sy * height
        return BBox(*(Length(round(v)).pt for v in (x0, y0, x1, y1)))

    def into_group(self, group) -> _Transform:
        """Child x -> off.x + (x - chOff.x) * ext.cx / chExt.cx, then this transform on top."""
        xfrm = group._element.find("p:grpSpPr/a:xfrm", _NS)
        if xfrm is None:
            return self
        off, ext = _pair(xfrm, "a:off", "x", "y"), _pair(xfrm, "a:ext", "cx", "cy")
        ch_off, ch_ext = _pair(xfrm, "a:chOff", "x", "y"), _pair(xfrm, "a:chExt", "cx", "cy")
        gx = ext[0] / ch_ext[0] if ch_ext[0] else 1.0
        gy = ext[1] / ch_ext[1] if ch_ext[1] else 1.0
        return _Transform(self.sx * gx, self.sy * gy, self.sx * (off[0] - ch_off[0] * gx) + self.dx,
                          self.sy * (off[1] - ch_off[1] * gy) + self.dy)


def _pair(xfrm, tag: str, a: str, b: str) -> tuple[int, int]:
    element = xfrm.find(tag, _NS)
    return (0, 0) if element is None else (_int(element.get(a), 0), _int(element.get(b), 0))


@dataclass(frozen=True, slots=True)
class _Item:
    shape: object
    box: BBox | None
    transform: _Transform  # of the space the shape lives in (the slide's or a group's)


def _items(shapes, transform: _Transform) -> list[_Item]:
    """The shapes holding some text, each with its box on the slide."""
    items = []
    for shape in shapes:
        holds_text = isinstance(shape, GroupShape) or shape.has_table or _txbody(shape) is not None
        if holds_text and any((t.text or "").strip() for t in shape._element.iter(f"{_A}t")):
            dims = (shape.left, shape.top, shape.width, shape.height)
            items.append(_Item(shape, transform.box(*dims) if None not in dims else None, transform))
    return items


def _reading_order(items: list[_Item]) -> list[_Item]:
    titles = [i for i in items if _placeholder_type(i.shape) in _TITLE_TYPES]
    rest = [i for i in items if _placeholder_type(i.shape) not in _TITLE_TYPES]
    return titles + _xy_cut([i for i in rest if i.box]) + [i for i in rest if not i.box]


def _xy_cut(items: list[_Item]) -> list[_Item]:
    """Columns first (left to right), then bands (top to bottom), recursively."""
    if len(items) <= 1:
        return items
    for axis in ("x", "y"):
        parts = _split(items, axis)
        if len(parts) > 1:
            return [item for part in parts for item in _xy_cut(part)]
    return sorted(items, key=lambda i: (i.box.top, i.box.x0))


def _split(items: list[_Item], axis: str) -> list[list[_Item]]:
    """Partition into runs whose ranges on `axis` overlap (transitively), in order."""
    def span(item: _Item) -> tuple[float, float]:
        return (item.box.x0, item.box.x1) if axis == "x" else (item.box.top, item.box.bottom)

    parts: list[list[_Item]] = []
    end = float("-inf")
    for item in sorted(items, key=span):
        start, stop = span(item)
        if not parts or start >= end - _OVERLAP_SLACK_PT:
            parts.append([])
        parts[-1].append(item)
        end = stop if len(parts[-1]) == 1 else max(end, stop)
    return parts


# --- slides, tables, text frames -----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Slide:
    source_id: str
    page: int
    layout: etree._Element
    master: etree._Element
    default_style: etree._Element | None


def _slide_blocks(slide, page: int, source_id: str, default_style) -> Iterator[Block]:
    # a slide without its layout or master is a damaged package: KeyError, caught in read()
    layout = slide.slide_layout
    ctx = _Slide(source_id, page, layout._element, layout.slide_master._element, default_style)
    yield from _shapes_blocks(_items(slide.shapes, _Transform()), ctx)


def _shapes_blocks(items: list[_Item], ctx: _Slide) -> Iterator[Block]:
    tiles = _tiles(items)
    for item in _reading_order(items):
        shape = item.shape
        if isinstance(shape, GroupShape):
            yield from _shapes_blocks(_items(shape.shapes, item.transform.into_group(shape)), ctx)
        elif shape.has_table:
            yield from _table_blocks(item, ctx)
        elif _placeholder_type(shape) not in _SKIPPED_TYPES:
            yield from _text_blocks(item, ctx, tile=id(item) in tiles)


def _tiles(items: list[_Item]) -> set[int]:
    """The ids of the items that are tiles (see _TILE_MIN): shapes of one size, side by side
    in a row (same top) or stacked in a column (same left edge), each holding one paragraph."""
    single = [item for item in items if item.box is not None and _single_paragraph(item.shape)]

    def same(a: float, b: float) -> bool:
        return abs(a - b) <= _TILE_SLACK_PT

    tiles: set[int] = set()
    for item in single:
        box = item.box
        for edge in (lambda b: b.top, lambda b: b.x0):
            peers = [other for other in single
                     if same(other.box.x1 - other.box.x0, box.x1 - box.x0)
                     and same(other.box.bottom - other.box.top, box.bottom - box.top)
                     and same(edge(other.box), edge(box))]
            if len(peers) >= _TILE_MIN:
                tiles.update(id(peer) for peer in peers)
    return tiles


def _single_paragraph(shape) -> bool:
    if isinstance(shape, GroupShape) or shape.has_table or _placeholder_type(shape) is not None:
        return False
    body = _txbody(shape)
    if body is None:
        return False
    return sum(1 for p in body.iterfind("a:p", _NS) if _paragraph_text(p)) == 1


def _table_blocks(item: _Item, ctx: _Slide) -> Iterator[Block]:
    shape, table = item.shape, item.shape.table
    lefts = list(accumulate((column.width or 0 for column in table.columns), initial=0))
    tops = list(accumulate((row.height or 0 for row in table.rows), initial=0))
    container = f"s{ctx.page}:table{shape.shape_id}"
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            if cell.is_spanned:  # merged away: the origin cell holds the text
                continue
            tx_body = cell._tc.find("a:txBody", _NS)
            paragraphs = tx_body.findall("a:p", _NS) if tx_body is not None else []
            text = "\n".join(t for t in map(_paragraph_text, paragraphs) if t)
            if not text:
                continue
            box = None
            if c < len(lefts) - 1 and r < len(tops) - 1:  # ragged tables have cells off the grid
                c1 = min(c + cell.span_width, len(lefts) - 1)
                r1 = min(r + cell.span_height, len(tops) - 1)
                box = item.transform.box(shape.left + lefts[c], shape.top + tops[r],
                                         lefts[c1] - lefts[c], tops[r1] - tops[r])
            runs = [run for p in paragraphs for run in _text_runs(p)]
            yield Block(text, TABLE_CELL, c + 1, Provenance(ctx.source_id, ctx.page, box, _READER),
                        bold=bool(runs) and _is_bold(_run_attr(runs[0], [], "b")),
                        size=_size(_run_attr(runs[0], [], "sz")) if runs else None,
                        container=container, row=r + 1)


@dataclass(frozen=True, slots=True)
class _Para:
    text: str
    level: int  # 0-based, as in a:pPr/@lvl
    bullet: etree._Element | None  # a:buChar, a:buAutoNum or a:buBlip; None when no bullet
    bold: bool  # the first run
    all_bold: bool
    size: float | None
    margin: int | None = None  # the effective left margin (a:pPr/@marL, EMU); None when unset


def _text_blocks(item: _Item, ctx: _Slide, *, tile: bool = False) -> Iterator[Block]:
    shape = item.shape
    ph_type = _placeholder_type(shape)
    is_title = ph_type in _TITLE_TYPES
    sources = _style_sources(shape, ph_type, ctx)
    paras = [_para(p, sources, is_title) for p in _txbody(shape).iterfind("a:p", _NS)]
    paras = [para for para in paras if para.text]
    provenance = Provenance(ctx.source_id, ctx.page, item.box, _READER)
    container = f"s{ctx.page}:shape{shape.shape_id}"
    numbers: dict[int, tuple[str, int]] = {}  # level -> (scheme, last number) of auto-numbering
    depths = _margin_depths(paras)
    for index, para in enumerate(paras):
        marker = _marker(para, numbers)
        kind, level = PARAGRAPH, 1
        if is_title:
            kind = TITLE if ctx.page == 1 or ph_type == "ctrTitle" else HEADING
        elif para.bullet is not None:
            kind, level = LIST_ITEM, para.level + 1 + depths[index]
        elif tile:
            kind = LIST_ITEM  # one box of a row of like boxes: an item, with no glyph
        elif ph_type != "subTitle" and para.all_bold and len(para.text) <= _HEADING_MAX_CHARS:
            # a bold line opening its box, or heading the bullets below it ("Region" + items)
            following = paras[index + 1] if index + 1 < len(paras) else None
            if index == 0 or (following is not None and following.bullet is not None):
                kind, level = HEADING, 2
        yield Block(para.text, kind, level, provenance, marker=marker if kind == LIST_ITEM else "",
                    bold=para.bold or (kind, level) == (HEADING, 2), size=para.size, container=container)


def _para(p, sources: list[etree._Element], is_title: bool) -> _Para:
    p_pr = p.find("a:pPr", _NS)
    level = min(max(_int(p_pr.get("lvl") if p_pr is not None else None, 0), 0), 8)
    chain = [p_pr, *(source.find(f"a:lvl{level + 1}pPr", _NS) for source in sources)]
    chain = [element for element in chain if element is not None]
    bullet = None if is_title else _effective_bullet(chain)  # titles never show bullets
    runs = _text_runs(p)
    bolds = [_is_bold(_run_attr(run, chain, "b")) for run in runs] or [False]
    size = _size(_run_attr(runs[0], chain, "sz")) if runs else None
    margin = next((_int(e.get("marL"), 0) for e in chain if e.get("marL") is not None), None)
    return _Para(_paragraph_text(p), level, bullet, bolds[0], all(bolds), size, margin)


def _margin_depths(paras: list[_Para]) -> list[int]:
    """How much deeper each paragraph's bullet sits than its outline level says.

    A sub-bullet is often made by indenting the paragraph (a larger a:pPr/@marL) without
    raising its a:pPr/@lvl: among a frame's bulleted paragraphs of one outline level, each
    larger distinct left margin nests one level deeper.
    """
    margins: dict[int, list[int]] = {}
    for para in paras:
        if para.bullet is not None:
            margins.setdefault(para.level, []).append(para.margin or 0)
    ranks = {level: sorted(set(found)) for level, found in margins.items()}
    return [ranks[para.level].index(para.margin or 0) if para.bullet is not None else 0
            for para in paras]


def _effective_bullet(chain: list[etree._Element]) -> etree._Element | None:
    for p_pr in chain:
        for child in p_pr:
            if child.tag in _BULLET_TAGS:
                return None if child.tag == f"{_A}buNone" else child
    return None


def _marker(para: _Para, numbers: dict[int, tuple[str, int]]) -> str:
    """The bullet glyph, or the computed number of an auto-numbered paragraph ("3.", "b)")."""
    tag = para.bullet.tag if para.bullet is not None else ""
    numbered = tag == f"{_A}buAutoNum"
    for level in [lvl for lvl in numbers if lvl > para.level or (lvl == para.level and not numbered)]:
        del numbers[level]  # an outer paragraph or an unnumbered one restarts the count
    if tag == f"{_A}buChar":
        return para.bullet.get("char", "")
    if not numbered:
        return ""  # no bullet, or a picture bullet: no glyph to record
    scheme = para.bullet.get("type", "arabicPeriod")
    previous = numbers.get(para.level)
    number = previous[1] + 1 if previous and previous[0] == scheme else _int(para.bullet.get("startAt"), 1)
    numbers[para.level] = (scheme, number)
    return _format_number(number, scheme)


def _format_number(number: int, scheme: str) -> str:
    """`number` in an a:buAutoNum scheme: alphaLcParenR -> "b)", romanUcPeriod -> "II."."""
    if scheme.startswith(("alphaLc", "alphaUc")):
        digits = chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)
    elif scheme.startswith(("romanLc", "romanUc")):
        digits = _roman(number)
    else:
        digits = str(number)
    digits = digits.upper() if scheme.startswith(("alphaUc", "romanUc")) else digits
    return next((form for suffix, form in _NUMBER_FORMS if scheme.endswith(suffix)), "{}").format(digits)


def _roman(number: int) -> str:
    out = ""
    for value, numeral in zip((1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1),
                              "m cm d cd c xc l xl x ix v iv i".split()):
        count, number = divmod(number, value)
        out += numeral * count
    return out or "0"


# --- style inheritance ------------------------------------------------------------------------
def _style_sources(shape, ph_type: str | None, ctx: _Slide) -> list[etree._Element]:
    """The list styles a paragraph of `shape` inherits from, nearest first."""
    sources = [_txbody(shape).find("a:lstStyle", _NS)]
    if ph_type is None:  # a plain text box
        sources += [ctx.master.find("p:txStyles/p:otherStyle", _NS), ctx.default_style]
        return [s for s in sources if s is not None]
    master_type = "title" if ph_type in _TITLE_TYPES else ph_type if ph_type in _OTHER_TYPES else "body"
    idx = shape._element.find("*/p:nvPr/p:ph", _NS).get("idx", "0")
    bases = (_find_placeholder(ctx.layout, ph_type, idx), _find_placeholder(ctx.master, master_type, None))
    for base in bases:
        if base is not None:
            sources.append(base.find("p:txBody/a:lstStyle", _NS))
    style = {"title": "titleStyle", "body": "bodyStyle"}.get(master_type, "otherStyle")
    sources.append(ctx.master.find(f"p:txStyles/p:{style}", _NS))
    return [s for s in sources if s is not None]


def _find_placeholder(tree: etree._Element, ph_type: str, idx: str | None) -> etree._Element | None:
    """The p:sp of a layout placeholder (matched by idx, else type) or a master one (by type)."""
    by_type = None
    for ph in tree.iterfind("p:cSld/p:spTree/p:sp/p:nvSpPr/p:nvPr/p:ph", _NS):
        if idx is not None and ph.get("idx", "0") == idx:
            return ph.getparent().getparent().getparent()
        types = {ph.get("type", "obj"), ph_type}
        if by_type is None and (len(types) == 1 or types <= {"obj", "body"} or types <= _TITLE_TYPES):
            by_type = ph.getparent().getparent().getparent()
    return by_type


def _run_attr(run, chain: list[etree._Element], name: str) -> str | None:
    """A run property (b, sz) from the run, else from the a:defRPr its level inherits."""
    r_pr = run.find("a:rPr", _NS)
    if r_pr is not None and r_pr.get(name) is not None:
        return r_pr.get(name)
    for p_pr in chain:
        default = p_pr.find("a:defRPr", _NS)
        if default is not None and default.get(name) is not None:
            return default.get(name)
    return None


# --- small readers ------------------------------------------------------------------------------
def _placeholder_type(shape) -> str | None:
    ph = shape._element.find("*/p:nvPr/p:ph", _NS)
    return None if ph is None else ph.get("type", "obj")


def _txbody(shape) -> etree._Element | None:
    return shape._element.find("p:txBody", _NS)


def _paragraph_text(p: etree._Element) -> str:
    """Text of the runs and fields (slide number, date); a line break (a:br) becomes "\\n"."""
    parts = []
    for child in p:
        if child.tag in (f"{_A}r", f"{_A}fld"):
            parts.append(child.findtext("a:t", "", _NS))
        elif child.tag == f"{_A}br":
            parts.append("\n")
    return "".join(parts).strip()


def _text_runs(p: etree._Element) -> list[etree._Element]:
    return [run for run in p.iterfind("a:r", _NS) if run.findtext("a:t", "", _NS).strip()]


def _is_bold(value: str | None) -> bool:
    return value in ("1", "true")


def _size(value: str | None) -> float | None:
    hundredths = _int(value, 0)
    return hundredths / 100 if hundredths > 0 else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
