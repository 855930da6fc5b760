"""Word documents (.docx), read with python-docx.

The body is read in document order, tables where they stand (content controls and text
boxes are looked into). Paragraph kinds come from styles: "Title" -> TITLE; an outline
level (paragraph or style chain) or a "Heading N"/"Rubrik N" style -> HEADING of that rank;
numbering (`w:numPr`, paragraph or style chain) or a "List ..." style -> LIST_ITEM whose
`marker` is what Word would draw, computed from numbering.xml. Table cells are emitted once
each (merged cells included), with `level` = first grid column and `row` from 1.

Pages: DOCX stores no layout, so page numbers are approximate. When Word saved the file it
left `w:lastRenderedPageBreak` marks where its pages began; if there are any we count those.
Otherwise we count explicit breaks: `w:br w:type="page"`, `pageBreakBefore`, and section
breaks that start a new page. A block's page is the page its first character falls on;
with no breaks at all everything is page 1. DOCX has no geometry: `bbox` is None.
"""

from __future__ import annotations

import logging
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.parts.coreprops import CorePropertiesPart
from lxml import etree

from smartspec.extractors.document import HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, TITLE, Block, Document, Provenance
from smartspec.extractors.errors import UnreadableDocument
from smartspec.extractors.normalise import typed_marker
from smartspec.extractors.hashing import FileHash
from smartspec.extractors.readers._files import file_facts
from smartspec.extractors.readers._ooxml import check_package, core_properties_part

logger = logging.getLogger(__name__)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_VAL = f"{_W}val"
_HEADING_STYLE_RE = re.compile(r"^(?:heading|rubrik)\s*(\d)?", re.IGNORECASE)
_LIST_STYLE_RE = re.compile(r"^list(?: (bullet|number|paragraph|continue))?(?: (\d))?$", re.IGNORECASE)
_LEVEL_TEXT_RE = re.compile(r"%(\d)")
_ROMAN = tuple(zip((1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1),
                   "M CM D CD C XC L XL X IX V IV I".split()))
_FALSE = frozenset({"0", "false", "off"})
_WRAPPERS = frozenset({f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}smartTag", f"{_W}ins", f"{_W}moveTo"})
_SKIPPED = frozenset({f"{_W}pPr", f"{_W}rPr", f"{_W}del", f"{_W}moveFrom", f"{_W}sdtPr", _MC_FALLBACK})
_CHARS = {f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}
_OPEN_ERRORS = (PackageNotFoundError, zipfile.BadZipFile, zlib.error, KeyError, ValueError,
                etree.XMLSyntaxError, OSError, EOFError)
# What python-docx itself raises while it loads a package with damaged relationships (a
# relationship without a target, a .rels part whose root is not <Relationships>); only
# caught around docx.Document(), where no code of ours runs.
_LOAD_ERRORS = (*_OPEN_ERRORS, TypeError, AttributeError)


def read(path: Path, *, source_id: str, hashed: FileHash | None = None) -> Document:
    size, sha256 = file_facts(path, source_id=source_id, hashed=hashed)
    check_package(path, source_id=source_id)
    try:
        document = docx.Document(str(path))
    except _LOAD_ERRORS as e:
        raise _damaged(source_id, e) from e
    try:
        body = document.element.find(f"{_W}body")
        if document.element.tag != f"{_W}document" or body is None:
            raise ValueError("the main part holds no w:document/w:body")
        styles = _Styles(_related_element(document.part, RT.STYLES, source_id))
        numbering = _Numbering(_related_element(document.part, RT.NUMBERING, source_id), styles)
        core_title, metadata = _core_facts(document, source_id)
    except _OPEN_ERRORS as e:
        raise _damaged(source_id, e) from e
    walker = _Walker(source_id, styles, numbering, body)
    walker.walk(body)
    blocks = tuple(walker.blocks)
    title = core_title or next((b.text for b in blocks if b.kind == TITLE), "")
    logger.debug("%s: pages 1-%d: %d blocks", source_id, walker.page, len(blocks))
    return Document(
        source_id=source_id, path=str(path), format="docx", sha256=sha256, blocks=blocks,
        pages=walker.page, bytes=size, title=title, metadata=metadata,
    )


def _core_facts(document, source_id: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Title and metadata from the core properties (none when the package has no usable ones)."""
    part = core_properties_part(document.part.package, CorePropertiesPart, source_id)
    if part is None:
        return "", ()
    core = part.core_properties
    metadata = tuple((key, str(value).strip()) for key, value in (
        ("author", core.author), ("subject", core.subject), ("language", core.language),
        ("created", core.created and core.created.isoformat()),
        ("modified", core.modified and core.modified.isoformat()),
    ) if value and str(value).strip())
    return (core.title or "").strip(), metadata


def _damaged(source_id: str, error: Exception) -> UnreadableDocument:
    return UnreadableDocument(
        source_id, "read", f"truncated or damaged file: not a valid DOCX package ({type(error).__name__}: {error})"
    )


def _related_element(part, reltype: str, source_id: str) -> etree._Element | None:
    """The XML of the part `part` relates to by `reltype`; None when there is none, or when the
    package declares it with a content type that is not XML (python-docx then loads raw bytes)."""
    try:
        related = part.part_related_by(reltype)
    except KeyError:
        return None
    element = getattr(related, "element", None)
    if element is None:
        logger.warning("%s: %s is not stored as XML (content type %s); ignored",
                       source_id, related.partname, related.content_type)
    return element


def _val(parent: etree._Element | None, tag: str) -> str | None:
    """`w:val` of the child `tag` of `parent`; "" when the child is there without a value."""
    child = parent.find(f"{_W}{tag}") if parent is not None else None
    return None if child is None else child.get(_VAL, "")


def _on(parent: etree._Element | None, tag: str) -> bool | None:
    """A toggle property (`w:b`, `w:vanish`...): None when absent."""
    value = _val(parent, tag)
    return None if value is None else value.lower() not in _FALSE


def _int(value: str | None, base: int = 10) -> int | None:
    try:
        return int(value, base) if value else None
    except ValueError:
        return None


def _half_points(rpr: etree._Element | None) -> float | None:
    half = _int(_val(rpr, "sz"))
    return half / 2 if half else None


@dataclass(frozen=True, slots=True)
class _Style:
    name: str = ""
    outline: int | None = None
    num_id: str | None = None
    ilvl: int | None = None
    bold: bool | None = None
    size: float | None = None
    break_before: bool | None = None


class _Styles:
    """Style facts resolved along the `w:basedOn` chain (the first style that says wins)."""

    def __init__(self, root: etree._Element | None) -> None:
        self._raw: dict[str, tuple[str | None, _Style]] = {}
        self.default_paragraph = ""
        defaults = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr") if root is not None else None
        self.default_bold = bool(_on(defaults, "b"))
        self.default_size = _half_points(defaults)
        for element in root.iter(f"{_W}style") if root is not None else ():
            style_id = element.get(f"{_W}styleId", "")
            ppr, rpr = element.find(f"{_W}pPr"), element.find(f"{_W}rPr")
            numpr = ppr.find(f"{_W}numPr") if ppr is not None else None
            self._raw[style_id] = (_val(element, "basedOn"), _Style(
                name=(_val(element, "name") or style_id).strip(),
                outline=_int(_val(ppr, "outlineLvl")), num_id=_val(numpr, "numId"), ilvl=_int(_val(numpr, "ilvl")),
                bold=_on(rpr, "b"), size=_half_points(rpr), break_before=_on(ppr, "pageBreakBefore"),
            ))
            if element.get(f"{_W}type") == "paragraph" and element.get(f"{_W}default", "") in ("1", "true", "on"):
                self.default_paragraph = style_id
        self._resolved: dict[str, _Style] = {}

    def get(self, style_id: str | None) -> _Style:
        """The resolved style; the name is the style's own, the rest is inherited where unset."""
        style_id = style_id if style_id is not None else self.default_paragraph
        if style_id not in self._resolved:
            chain, seen, current = [], set(), style_id
            while current is not None and current in self._raw and current not in seen:
                seen.add(current)
                parent, style = self._raw[current]
                chain.append(style)
                current = parent
            facts = {name: next((getattr(s, name) for s in chain if getattr(s, name) is not None), None)
                     for name in ("outline", "num_id", "ilvl", "bold", "size", "break_before")}
            self._resolved[style_id] = _Style(name=chain[0].name if chain else style_id, **facts)
        return self._resolved[style_id]


@dataclass(frozen=True, slots=True)
class _Level:
    fmt: str
    text: str
    start: int


class _Numbering:
    """numbering.xml: the marker each numbered paragraph shows.

    Counters are kept per `numId` and list level, and a higher level restarts the deeper ones.
    (Word also continues a count across nums sharing one abstractNum; per numId is close enough.)
    Bullets keep their lvlText glyph as stored, Symbol's private-use U+F0B7 included.
    """

    def __init__(self, root: etree._Element | None, styles: _Styles) -> None:
        self._styles = styles
        found = root.iter(f"{_W}abstractNum", f"{_W}num") if root is not None else ()
        self._abstract: dict[str | None, etree._Element] = {}
        self._nums: dict[str | None, etree._Element] = {}
        for element in found:
            if element.tag == f"{_W}num":
                self._nums[element.get(f"{_W}numId")] = element
            else:
                self._abstract[element.get(f"{_W}abstractNumId")] = element
        self._levels: dict[str, dict[int, _Level]] = {}
        self._counters: dict[str, dict[int, int]] = {}

    def marker(self, num_id: str, ilvl: int) -> str:
        levels = self._levels_of(num_id)
        level = levels.get(ilvl)
        if level is None:
            return ""
        counters = self._counters.setdefault(num_id, {})
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else level.start
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        if level.fmt == "bullet":
            return level.text.strip()

        def number(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            ref = levels.get(index, _Level("decimal", "", 1))
            return _format_number(counters.get(index, ref.start), ref.fmt)

        return "" if level.fmt == "none" else _LEVEL_TEXT_RE.sub(number, level.text).strip()

    def _levels_of(self, num_id: str) -> dict[int, _Level]:
        if num_id not in self._levels:
            num = self._nums.get(num_id)
            levels = self._abstract_levels(_val(num, "abstractNumId"), set()) if num is not None else {}
            for override in num.iter(f"{_W}lvlOverride") if num is not None else ():
                ilvl = _int(override.get(f"{_W}ilvl")) or 0
                redefined = override.find(f"{_W}lvl")
                if redefined is not None:
                    levels[ilvl] = _level(redefined)
                start = _int(_val(override, "startOverride"))
                if start is not None and ilvl in levels:
                    levels[ilvl] = _Level(levels[ilvl].fmt, levels[ilvl].text, start)
            self._levels[num_id] = levels
        return self._levels[num_id]

    def _abstract_levels(self, abstract_id: str | None, seen: set[str]) -> dict[int, _Level]:
        abstract = self._abstract.get(abstract_id or "")
        if abstract is None or abstract_id in seen:
            return {}
        seen.add(abstract_id)
        levels = {_int(lvl.get(f"{_W}ilvl")) or 0: _level(lvl) for lvl in abstract.findall(f"{_W}lvl")}
        link = _val(abstract, "numStyleLink")
        if not levels and link:  # the definition lives with the numbering style it links to
            num = self._nums.get(self._styles.get(link).num_id or "")
            levels = self._abstract_levels(_val(num, "abstractNumId"), seen) if num is not None else {}
        return levels


def _level(lvl: etree._Element) -> _Level:
    # w:start defaults to 0 in the schema; Word always writes it, and 1 is the sane guess when absent
    start = _int(_val(lvl, "start"))
    return _Level(_val(lvl, "numFmt") or "decimal", _val(lvl, "lvlText") or "", 1 if start is None else start)


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter") and value > 0:
        letters = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letters if fmt == "lowerLetter" else letters.upper()
    if fmt in ("lowerRoman", "upperRoman") and 0 < value < 4000:
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _roman(value: int) -> str:
    out = ""
    for number, numeral in _ROMAN:
        count, value = divmod(value, number)
        out += numeral * count
    return out


@dataclass(slots=True)
class _Paragraph:
    """What one w:p says: its text and the look of its text-bearing runs."""

    text: list[str] = field(default_factory=list)
    page: int | None = None
    bold: list[bool] = field(default_factory=list)
    size: float | None = None
    boxes: list[etree._Element] = field(default_factory=list)


class _Walker:
    """Walks body, cells and text boxes in document order, emitting blocks and counting pages."""

    def __init__(self, source_id: str, styles: _Styles, numbering: _Numbering, body: etree._Element) -> None:
        self.source_id, self.styles, self.numbering = source_id, styles, numbering
        self.blocks: list[Block] = []
        self.page = 1
        self._rendered = next(body.iter(f"{_W}lastRenderedPageBreak"), None) is not None
        sections = list(body.iter(f"{_W}sectPr"))
        # a paragraph's w:sectPr ends a section; the *next* section's w:type says if a new page follows.
        # Keyed by the element itself: lxml hands back the same proxy while one is alive.
        self._new_page_after = {
            sect: (_val(following, "type") or "nextPage") != "continuous"
            for sect, following in zip(sections, sections[1:])
        }
        self._tables = self._boxes = 0
        self._container = ""

    def walk(self, parent: etree._Element) -> None:
        for element in _block_children(parent):
            if element.tag == f"{_W}tbl":
                self._table(element)
                continue
            paragraph, kind, level, marker = self._paragraph(element)
            text = "".join(paragraph.text).strip()
            if kind == PARAGRAPH:
                typed, rest = typed_marker(text)
                if typed:  # a glyph or number typed into a plain paragraph: a list item all the same
                    kind, level, marker, text = LIST_ITEM, 1, typed, rest.strip()
            if text:
                self._emit(text, kind, level, paragraph, marker=marker)
            for box in paragraph.boxes:
                self._box(box)

    def _box(self, box: etree._Element) -> None:
        self._boxes += 1
        outer, self._container = self._container, f"box{self._boxes}"
        self.walk(box)
        self._container = outer

    def _emit(self, text: str, kind: str, level: int, paragraph: _Paragraph, *, marker: str = "",
              row: int | None = None) -> None:
        provenance = Provenance(self.source_id, paragraph.page or self.page, None, "docx")
        bold = bool(paragraph.bold) and all(paragraph.bold)
        self.blocks.append(Block(text, kind, level, provenance, marker=marker, bold=bold,
                                 size=paragraph.size, container=self._container, row=row))

    def _paragraph(self, p: etree._Element) -> tuple[_Paragraph, str, int, str]:
        ppr = p.find(f"{_W}pPr")
        style = self.styles.get(_val(ppr, "pStyle"))
        break_before = _on(ppr, "pageBreakBefore")
        if not self._rendered and (style.break_before if break_before is None else break_before) and self.blocks:
            self.page += 1
        kind, level, marker = self._kind(ppr, style)
        paragraph = _Paragraph()
        self._inline(p, paragraph, style)
        sect = ppr.find(f"{_W}sectPr") if ppr is not None else None
        if not self._rendered and sect is not None and self._new_page_after.get(sect):
            self.page += 1
        return paragraph, kind, level, marker

    def _kind(self, ppr: etree._Element | None, style: _Style) -> tuple[str, int, str]:
        numpr = ppr.find(f"{_W}numPr") if ppr is not None else None
        num_id = _val(numpr, "numId") or style.num_id
        ilvl = _int(_val(numpr, "ilvl"))
        ilvl = max(0, min(8, ilvl if ilvl is not None else style.ilvl or 0))
        marker = self.numbering.marker(num_id, ilvl) if num_id and num_id != "0" else ""
        outline = _int(_val(ppr, "outlineLvl"))
        outline = outline if outline is not None else style.outline
        heading = _HEADING_STYLE_RE.match(style.name)
        listed = _LIST_STYLE_RE.match(style.name)
        if style.name.lower() == "title":
            return TITLE, 1, marker
        if outline is not None and 0 <= outline < 9:
            return HEADING, outline + 1, marker
        if heading:
            return HEADING, int(heading.group(1) or 1), marker
        if (num_id and num_id != "0") or listed:
            # "List Bullet 2" is often a one-level list of its own (ilvl 0) drawn one step in
            depth = int(listed.group(2) or 1) if listed else 1
            if not marker and listed and (listed.group(1) or "").lower() == "bullet":
                marker = "•"
            return LIST_ITEM, max(ilvl + 1, depth), marker
        return PARAGRAPH, 1, ""

    def _inline(self, parent: etree._Element, paragraph: _Paragraph, style: _Style) -> None:
        for child in parent:
            if child.tag in _SKIPPED:
                continue
            if child.tag == f"{_W}r":
                self._run(child, paragraph, style)
            elif child.tag == f"{_W}txbxContent":
                paragraph.boxes.append(child)
            else:  # hyperlinks, fields, content controls, insertions, mc:AlternateContent/Choice, drawings
                self._inline(child, paragraph, style)

    def _run(self, run: etree._Element, paragraph: _Paragraph, style: _Style) -> None:
        rpr = run.find(f"{_W}rPr")
        hidden = bool(_on(rpr, "vanish"))
        pieces = []
        for child in run:
            tag = child.tag
            if tag in (f"{_W}t", f"{_W}sym") and not hidden:
                code = _int(child.get(f"{_W}char"), 16) if tag == f"{_W}sym" else None
                piece = chr(code) if code else (child.text or "")
                pieces.append(piece)
                if piece.strip() and paragraph.page is None:
                    paragraph.page = self.page
            elif tag in _CHARS and not hidden:
                pieces.append(_CHARS[tag])
            elif tag == f"{_W}br":
                page_break = child.get(f"{_W}type") == "page"
                if page_break and not self._rendered:
                    self.page += 1
                pieces.append("" if page_break or hidden else "\n")
            elif tag == f"{_W}lastRenderedPageBreak":
                self.page += 1
            elif tag != f"{_W}rPr":
                self._inline(child, paragraph, style)  # drawings and pictures may hold text boxes
        text = "".join(pieces)
        paragraph.text.append(text)
        if text.strip():
            char_style = self.styles.get(_val(rpr, "rStyle")) if _val(rpr, "rStyle") else _Style()
            bold = next((b for b in (_on(rpr, "b"), char_style.bold, style.bold) if b is not None),
                        self.styles.default_bold)
            paragraph.bold.append(bold)
            if paragraph.size is None:
                paragraph.size = _half_points(rpr) or char_style.size or style.size or self.styles.default_size

    def _table(self, tbl: etree._Element) -> None:
        self._tables += 1
        outer, self._container = self._container, f"t{self._tables}"
        for row_index, tr in enumerate(_children(tbl, f"{_W}tr"), start=1):
            column = 1 + (_int(_val(tr.find(f"{_W}trPr"), "gridBefore")) or 0)
            for tc in _children(tr, f"{_W}tc"):
                tcpr = tc.find(f"{_W}tcPr")
                span = max(1, _int(_val(tcpr, "gridSpan")) or 1)
                merged = _val(tcpr, "vMerge")
                if merged is None or merged == "restart":  # a continuation is the cell above, already read
                    self._cell(tc, column, row_index)
                column += span
        self._container = outer

    def _cell(self, tc: etree._Element, column: int, row: int) -> None:
        lines, cell, nested = [], _Paragraph(), []
        for element in _block_children(tc):
            if element.tag == f"{_W}tbl":
                nested.append(element)
                continue
            paragraph, _kind, _level, marker = self._paragraph(element)
            line = "".join(paragraph.text).strip()
            if line:
                lines.append(f"{marker} {line}" if marker else line)
                cell.page = cell.page or paragraph.page
                cell.bold.extend(paragraph.bold)
                cell.size = cell.size or paragraph.size
            cell.boxes.extend(paragraph.boxes)
        if lines:
            self._emit("\n".join(lines), TABLE_CELL, column, cell, row=row)
        for box in cell.boxes:
            self._box(box)
        for table in nested:
            self._table(table)


def _block_children(parent: etree._Element) -> Iterator[etree._Element]:
    """The w:p and w:tbl under `parent`, looking through content controls and custom XML."""
    for child in parent:
        if child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _block_children(child)


def _children(parent: etree._Element, tag: str) -> Iterator[etree._Element]:
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)
