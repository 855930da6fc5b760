"""Saved web pages (.html, .htm), read with BeautifulSoup on lxml's HTML parser.

Only the page's content is read: scripts, styles, forms, navigation, asides, page-level
headers and footers (a `<header>`/`<footer>` inside an article, main or section is content
and stays), their ARIA-role equivalents, and anything `hidden`, `aria-hidden="true"` or
styled `display:none` are skipped. h1-h6 become headings of that rank; li become list items
whose level is the ul/ol nesting depth (1 the outermost) and whose marker is "•" or the
number the browser would draw ("3.", "c.", "iv."); an li carries its own text only, its
sub-lists follow as items of their own. dt is a bold paragraph, dd a paragraph, any other
run of text a paragraph. A data table gives one cell per th/td (`level` = first grid column
and `row` from 1, spans respected, lines kept); a layout table (role="presentation", or one
holding headings or tables) is read as ordinary content. White space is collapsed inside
each block. A page is one page: page = 1, bbox None.

Bytes are decoded with the BOM or the declared charset (meta or XML declaration), else UTF-8,
falling back to Windows-1252 when the bytes are not UTF-8. lxml's HTML parser neither
fetches external entities nor expands entities declared in a DOCTYPE; we also drop a
DOCTYPE's internal subset before parsing so its declarations do not leak in as text.
"""

from __future__ import annotations

import codecs
import logging
import re
from pathlib import Path

from bs4 import BeautifulSoup, CData, Comment, NavigableString, Tag

from smartspec.extractors.document import HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, Block, Document, Provenance
from smartspec.extractors.errors import UnreadableDocument
from smartspec.extractors.normalise import collapse_whitespace, typed_marker
from smartspec.extractors.hashing import FileHash
from smartspec.extractors.readers._files import file_facts

logger = logging.getLogger(__name__)

_DROPPED_TAGS = frozenset({
    "script", "style", "noscript", "template", "nav", "footer", "header", "aside", "form",
    "svg", "iframe", "object", "canvas", "button", "select", "head",
})
_SECTION_TAGS = ("article", "main", "section")  # a header/footer inside these is content
_DROPPED_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_LISTS = frozenset({"ul", "ol", "menu"})
_BOLD = frozenset({"b", "strong"})
_BLOCKS = frozenset({
    "address", "article", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "dir",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "hgroup", "hr", "legend", "li", "main", "p",
    "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", *_HEADINGS, *_LISTS,
})
_MAX_SPAN = 1000
# The walk recurses once or more per element level; below this depth (unclosed <font> tags in
# old pages can nest thousands deep) an element keeps only its text.
_MAX_DEPTH = 150
_KEPT_WHEN_FLAT = frozenset({"li", "td", "th", "dt", "dd", *_HEADINGS})
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_META_CHARSET_RE = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING_RE = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
# only a DOCTYPE that opens the page (after an XML declaration at most): one linear match attempt
_DOCTYPE_SUBSET_RE = re.compile(
    r"\A(\ufeff?\s*(?:<\?xml[^>]*>\s*)?)<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.IGNORECASE | re.DOTALL
)
_SAVED_FROM_RE = re.compile(r"saved from url=\(\d+\)(\S+)")


def read(path: Path, *, source_id: str, hashed: FileHash | None = None) -> Document:
    size, sha256 = file_facts(path, source_id=source_id, hashed=hashed)
    markup = _DOCTYPE_SUBSET_RE.sub(r"\1<!DOCTYPE html>", _decode(path.read_bytes(), source_id), count=1)
    soup = BeautifulSoup(markup, "lxml")
    _flatten_deep(soup)
    walker = _Walker(Provenance(source_id, 1, None, "html"))
    walker.walk(soup.body or soup)
    walker.flush()
    blocks = tuple(walker.blocks)
    title = next((b.text for b in blocks if b.kind == HEADING and b.level == 1), "")
    if not title and soup.title is not None:
        title = collapse_whitespace(soup.title.get_text())
    logger.debug("%s: page 1: %d blocks", source_id, len(blocks))
    return Document(
        source_id=source_id, path=str(path), format="html", sha256=sha256, blocks=blocks,
        pages=1, bytes=size, title=title, metadata=_metadata(soup),
    )


def _decode(raw: bytes, source_id: str) -> str:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw.decode(encoding, errors="replace")
    if b"\x00" in raw[:4096]:
        raise UnreadableDocument(source_id, "read", "binary data in an HTML file")
    head = raw[:4096]
    declared = _META_CHARSET_RE.search(head) or _XML_ENCODING_RE.match(head)
    if declared:
        try:
            codec = codecs.lookup(declared.group(1).decode("ascii")).name
        except LookupError:
            logger.warning("%s: page 1: unknown charset %r, trying UTF-8", source_id, declared.group(1))
        else:
            # as browsers do: Latin-1/ASCII labels mean Windows-1252; a UTF-16 label on ASCII bytes means UTF-8
            codec = {"iso8859-1": "cp1252", "ascii": "cp1252"}.get(codec, codec)
            return raw.decode("utf-8" if codec.startswith("utf-16") else codec, errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _metadata(soup: BeautifulSoup) -> tuple[tuple[str, str], ...]:
    facts: list[tuple[str, str]] = []
    root = soup.find("html")
    if isinstance(root, Tag) and root.get("lang"):
        facts.append(("language", str(root["lang"]).strip()))
    description = soup.find("meta", attrs={"name": re.compile("^description$", re.IGNORECASE)})
    if isinstance(description, Tag) and description.get("content"):
        facts.append(("description", collapse_whitespace(str(description["content"]))))
    canonical = soup.find("link", rel="canonical")
    saved_from = next((m.group(1) for c in soup.find_all(string=lambda s: isinstance(s, Comment))
                       if (m := _SAVED_FROM_RE.search(str(c)))), "")
    url = str(canonical.get("href", "")) if isinstance(canonical, Tag) else saved_from
    if url:
        facts.append(("url", url.strip()))
    return tuple(facts)


def _flatten_deep(root: Tag) -> None:
    """Replace what lies under each element at `_MAX_DEPTH` with its visible text (no recursion)."""
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        for child in node.find_all(True, recursive=False):
            if depth + 1 < _MAX_DEPTH:
                stack.append((child, depth + 1))
            elif not _hidden(child):
                text = _flat_text(child)
                child.clear()
                child.append(text)
                if child.name not in _KEPT_WHEN_FLAT:  # an emptied list or table reads as a plain block
                    child.name = "div"


def _flat_text(node: Tag) -> str:
    pieces, stack = [], [iter(_children(node))]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif isinstance(child, Tag):
            pieces.append(" ")
            stack.append(iter(_children(child)))
        else:
            pieces.append(str(child))
    return "".join(pieces)


def _hidden(tag: Tag) -> bool:
    name = tag.name
    if name in _DROPPED_TAGS:
        return not (name in ("header", "footer") and tag.find_parent(_SECTION_TAGS) is not None)
    if tag.has_attr("hidden") or str(tag.get("aria-hidden", "")).strip().lower() == "true":
        return True
    if str(tag.get("role", "")).strip().lower() in _DROPPED_ROLES:
        return True
    style = str(tag.get("style", "")).replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def _is_text(node: object) -> bool:
    return type(node) in (NavigableString, CData)


def _children(node: Tag) -> list[Tag | NavigableString]:
    return [c for c in node.children if _is_text(c) or (isinstance(c, Tag) and not _hidden(c))]


def _gather(node: Tag, bold: bool, out: list[tuple[str, bool]], *, skip: frozenset[str] = frozenset(),
            lines: bool = False) -> None:
    """The text under `node` as (text, bold) pieces; block boundaries become a space or, with `lines`, a line break."""
    for child in _children(node):
        if not isinstance(child, Tag):
            out.append((str(child), bold))
        elif child.name in skip:
            continue
        elif child.name == "br":
            out.append(("\n" if lines else " ", bold))
        elif lines and child.name in _LISTS:
            for item, marker in _items(child):
                out.append((f"\n{marker} ", False))
                _gather(item, bold, out, skip=skip, lines=lines)
            out.append(("\n", False))
        else:
            boundary = ("\n" if lines else " ", False) if child.name in _BLOCKS else None
            if boundary:
                out.append(boundary)
            _gather(child, bold or child.name in _BOLD or child.name == "th", out, skip=skip, lines=lines)
            if boundary:
                out.append(boundary)


def _items(list_tag: Tag) -> list[tuple[Tag, str]]:
    """The li of a ul/ol with the marker a browser draws (ol `start`, `reversed`, `type`, li `value`)."""
    items = [c for c in _children(list_tag) if isinstance(c, Tag) and c.name == "li"]
    if list_tag.name != "ol":
        return [(item, "•") for item in items]
    step = -1 if list_tag.has_attr("reversed") else 1
    number = _int(list_tag.get("start"), len(items) if step < 0 else 1)
    kind = str(list_tag.get("type", "1"))
    marked = []
    for item in items:
        number = _int(item.get("value"), number)
        marked.append((item, f"{_ordinal(number, kind)}."))
        number += step
    return marked


def _ordinal(number: int, kind: str) -> str:
    if kind in ("a", "A") and number > 0:
        letters = ""
        while number:
            number, rest = divmod(number - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters if kind == "a" else letters.upper()
    if kind in ("i", "I") and 0 < number < 4000:
        numerals = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
        roman = ""
        for value, numeral in numerals:
            count, number = divmod(number, value)
            roman += numeral * count
        return roman if kind == "i" else roman.upper()
    return str(number)


def _int(value: object, default: int) -> int:
    try:
        return int(str(value).strip()) if value is not None else default
    except ValueError:
        return default


def _text(pieces: list[tuple[str, bool]]) -> tuple[str, bool]:
    """(collapsed text, whether every visible piece is bold)."""
    visible = [is_bold for text, is_bold in pieces if text.strip()]
    return collapse_whitespace("".join(text for text, _ in pieces)), bool(visible) and all(visible)


class _Walker:
    def __init__(self, provenance: Provenance) -> None:
        self.provenance = provenance
        self.blocks: list[Block] = []
        self._pieces: list[tuple[str, bool]] = []
        self._tables = 0

    def flush(self) -> None:
        """The pending run of text, if any, as a paragraph."""
        text, bold = _text(self._pieces)
        marker, rest = typed_marker("".join(piece for piece, _ in self._pieces).lstrip())
        self._pieces = []
        if marker:  # a glyph (or a number and a tab) typed in front of the text: a list item
            self._emit(collapse_whitespace(rest), LIST_ITEM, 1, marker=marker, bold=bold)
        elif text:
            self._emit(text, PARAGRAPH, 1, bold=bold)

    def _emit(self, text: str, kind: str, level: int, *, marker: str = "", bold: bool = False,
              container: str = "", row: int | None = None) -> None:
        self.blocks.append(Block(text, kind, level, self.provenance, marker=marker, bold=bold,
                                 container=container, row=row))

    def walk(self, node: Tag, *, bold: bool = False, depth: int = 0) -> None:
        """Flow content: text runs collect into the pending paragraph, blocks flush it."""
        for child in _children(node):
            if not isinstance(child, Tag):
                self._pieces.append((str(child), bold))
                continue
            name = child.name
            if name == "br":
                self._pieces.append((" ", bold))
            elif name in _HEADINGS:
                self.flush()
                pieces: list[tuple[str, bool]] = []
                _gather(child, True, pieces)
                text, _ = _text(pieces)
                if text:
                    self._emit(text, HEADING, int(name[1]), bold=True)
            elif name in _LISTS:
                self.flush()
                self._list(child, depth + 1)
            elif name == "li":  # an li outside any list
                self.flush()
                self._item(child, max(depth, 1), "•")
            elif name == "table":
                self.flush()
                self._table(child, depth)
            elif name in _BLOCKS:
                self.flush()
                self.walk(child, bold=bold or name == "dt", depth=depth)
                self.flush()
            else:
                self.walk(child, bold=bold or name in _BOLD, depth=depth)

    def _list(self, list_tag: Tag, depth: int) -> None:
        items = dict((id(item), marker) for item, marker in _items(list_tag))
        for child in _children(list_tag):
            if not isinstance(child, Tag):  # stray text in a list still shows
                self._pieces.append((str(child), False))
                continue
            self.flush()
            if id(child) in items:
                self._item(child, depth, items[id(child)])
            elif child.name in _LISTS:  # a list straight inside a list
                self._list(child, depth + 1)
            else:
                self.walk(child, depth=depth)
                self.flush()
        self.flush()

    def _item(self, item: Tag, depth: int, marker: str) -> None:
        pieces: list[tuple[str, bool]] = []
        _gather(item, False, pieces, skip=_LISTS | {"table"})
        text, bold = _text(pieces)
        if text:
            self._emit(text, LIST_ITEM, depth, marker=marker, bold=bold)
        self._nested(item, depth)

    def _nested(self, node: Tag, depth: int) -> None:
        """The sub-lists and tables of an li, in order, after the li's own text."""
        for child in _children(node):
            if isinstance(child, Tag) and child.name in _LISTS:
                self._list(child, depth + 1)
            elif isinstance(child, Tag) and child.name == "table":
                self._table(child, depth)
            elif isinstance(child, Tag):
                self._nested(child, depth)

    def _table(self, table: Tag, depth: int) -> None:
        if str(table.get("role", "")).lower() in ("presentation", "none") or table.find(["table", *_HEADINGS]):
            self.walk(table, depth=depth)  # a layout table: its cells are ordinary content
            self.flush()
            return
        self._tables += 1
        container = f"t{self._tables}"
        rows = _rows(table)
        carried: dict[int, tuple[int, int]] = {}  # first column -> (rows still covered, width) of rowspans
        for row, tr in enumerate(rows, start=1):
            column, following = 1, {}
            for cell in (c for c in _children(tr) if isinstance(c, Tag) and c.name in ("td", "th")):
                while column in carried:
                    left, width = carried.pop(column)
                    if left > 1:
                        following[column] = (left - 1, width)
                    column += width
                width = min(max(_int(cell.get("colspan"), 1), 1), _MAX_SPAN)
                height = min(max(_int(cell.get("rowspan"), 1), 1), len(rows) - row + 1)
                pieces: list[tuple[str, bool]] = []
                _gather(cell, cell.name == "th", pieces, lines=True)
                lines = (collapse_whitespace(line) for line in "".join(t for t, _ in pieces).split("\n"))
                text = "\n".join(line for line in lines if line)
                if text:
                    self._emit(text, TABLE_CELL, column, bold=_text(pieces)[1], container=container, row=row)
                if height > 1:
                    following[column] = (height - 1, width)
                column += width
            following.update((c, (left - 1, w)) for c, (left, w) in carried.items() if left > 1)
            carried = following


def _rows(table: Tag) -> list[Tag]:
    rows = []
    for child in _children(table):
        if isinstance(child, Tag) and child.name == "tr":
            rows.append(child)
        elif isinstance(child, Tag) and child.name in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in _children(child) if isinstance(c, Tag) and c.name == "tr")
    return rows
